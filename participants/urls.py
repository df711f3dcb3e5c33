"""Organisations run themselves: mounted by spiegel.urls under /organisations/.

`public_urlpatterns` hold the activation link of an invitation, mounted under /invitation/ and
open without an account (the signed token is the key). `statement_urlpatterns` are the public
accessibility and privacy statements, mounted at the root and open without an account.
"""

from django.urls import path

from participants.views import look, organisations, statements

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

statement_urlpatterns = [
    path("toegankelijkheid/", statements.accessibility_statement, name="accessibility_statement"),
    path("privacy/", statements.privacy_statement, name="privacy_statement"),
    path("privacy/<int:pk>/", statements.privacy_statement, name="privacy_statement_of"),
    # An organisation's look, also on its clients' pages (no account).
    path("huisstijl/<int:pk>/tokens.css", look.organisation_tokens, name="organisation_tokens"),
    path("huisstijl/<int:pk>/logo", look.organisation_logo, name="organisation_logo"),
]
