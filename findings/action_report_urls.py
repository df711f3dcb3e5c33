"""The actions overview PDF, mounted by spiegel.urls under /actions/ (before the action pages)."""

urlpatterns = []
