"""Session PDFs, mounted by sessions.urls under /sessions/<pk>/."""

urlpatterns = []
