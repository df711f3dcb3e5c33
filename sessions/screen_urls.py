"""URL patterns, mounted by sessions.urls under /sessions/<pk>/."""

urlpatterns = []
