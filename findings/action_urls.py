"""Improvement actions across sessions, mounted by spiegel.urls under /actions/."""

urlpatterns = []
