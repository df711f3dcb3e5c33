"""Panel and listener pages, mounted under /sessions/<pk>/ by sessions.urls."""

from django.urls import path

from . import views

urlpatterns = [
    path("panel/", views.panel, name="panel"),
    path("panel/<int:member_pk>/", views.panel_member_edit, name="panel_member_edit"),
    path(
        "panel/<int:member_pk>/withdraw/",
        views.panel_member_withdraw,
        name="panel_member_withdraw",
    ),
    path("panel/<int:member_pk>/delete/", views.panel_member_delete, name="panel_member_delete"),
    path("listeners/", views.listeners, name="listeners"),
    path("listeners/<int:listener_pk>/", views.listener_edit, name="listener_edit"),
    path("listeners/<int:listener_pk>/briefed/", views.listener_briefed, name="listener_briefed"),
    path("listeners/<int:listener_pk>/delete/", views.listener_delete, name="listener_delete"),
]
