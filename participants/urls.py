"""Organisations run themselves: mounted by spiegel.urls under /organisations/.

`public_urlpatterns` hold the activation link of an invitation, mounted under /invitation/ and
open without an account (the signed token is the key).
"""

from django.urls import path

from participants.views import organisations

urlpatterns = [
    path("", organisations.organisation_list, name="organisation_list"),
    path("new/", organisations.organisation_create, name="organisation_create"),
    path("<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path("<int:pk>/settings/", organisations.organisation_settings, name="organisation_settings"),
    path(
        "<int:pk>/members/<int:user_pk>/roles/",
        organisations.member_roles,
        name="organisation_member_roles",
    ),
    path(
        "<int:pk>/members/<int:user_pk>/remove/",
        organisations.member_remove,
        name="organisation_member_remove",
    ),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/withdraw/",
        organisations.invitation_withdraw,
        name="organisation_invitation_withdraw",
    ),
]

public_urlpatterns = [
    path("<str:token>/", organisations.invitation_accept, name="invitation_accept"),
]
