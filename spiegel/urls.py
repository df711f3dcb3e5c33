"""The project's URLs: each app's urls.py is included once, here.

participants has the beheerders' pages of an organisation (/organisations/) and the activation
link of an invitation (/invitation/); the panel and listener pages prepare a session and live
in sessions (as do an organisation's rule set and question library, whose models are there);
the live capture, debrief, actions and reports live in findings; the role-play workshops
(/workshops/, and the participants' links under /w/) in workshops.
"""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

import findings.urls
import participants.urls
import sessions.urls
import workshops.urls
from findings.views import dashboard

from . import views

# The admin has no password form of its own: /admin/login/ sends to the one sign-in, with its
# second factor and lockout.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    # Sign-in, password reset and change, two-factor, single sign-on (django-allauth).
    path("accounts/", include("allauth.urls")),
    path("sessions/", include(sessions.urls.urlpatterns)),
    path("sessions/<int:pk>/", include(findings.urls.session_urlpatterns)),
    path("e/", include(sessions.urls.public_urlpatterns)),
    path("u/", include(findings.urls.public_urlpatterns)),
    path("actions/", include(findings.urls.urlpatterns)),
    path("workshops/", include(workshops.urls.urlpatterns)),
    path("w/", include(workshops.urls.public_urlpatterns)),
    path("access-log/", include(sessions.urls.access_log_urlpatterns)),
    path("organisations/", include(participants.urls.urlpatterns)),
    path("organisations/<int:pk>/", include(sessions.urls.organisation_urlpatterns)),
    path("invitation/", include(participants.urls.public_urlpatterns)),
    path("", include(participants.urls.statement_urlpatterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
