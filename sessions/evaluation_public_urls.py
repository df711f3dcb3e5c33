"""URL patterns, mounted by spiegel.urls under /e/."""

urlpatterns = []
