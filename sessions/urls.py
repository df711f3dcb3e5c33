"""Preparing a session and what the room sees: mounted by spiegel.urls under /sessions/.

`access_log_urlpatterns` are the access log pages, mounted under /access-log/.
`organisation_urlpatterns` are an organisation's rule set and question library, mounted under
/organisations/<pk>/. `public_urlpatterns` are the clients' personal evaluation links, mounted
under /e/ and open without an account (the unguessable token is the key).
"""

from django.urls import path

from sessions.views import (
    access_log,
    evaluation,
    guide,
    invitations,
    listeners,
    organisation,
    panel,
    rules,
    screen,
    sessions,
    tables,
)

urlpatterns = [
    path("", sessions.session_list, name="session_list"),
    path("new/", sessions.session_create, name="session_create"),
    path("<int:pk>/", sessions.session_detail, name="session_detail"),
    path("<int:pk>/edit/", sessions.session_edit, name="session_edit"),
    path("<int:pk>/status/<str:action>/", sessions.session_transition, name="session_transition"),
    # The question guide.
    path("<int:pk>/guide/", guide.guide, name="guide"),
    path("<int:pk>/guide/library/", guide.guide_from_library, name="guide_library"),
    path("<int:pk>/guide/<int:question_pk>/", guide.question_edit, name="question_edit"),
    path("<int:pk>/guide/<int:question_pk>/move/", guide.question_move, name="question_move"),
    path("<int:pk>/guide/<int:question_pk>/delete/", guide.question_delete, name="question_delete"),
    path(
        "<int:pk>/guide/<int:question_pk>/to-library/",
        organisation.question_to_library,
        name="question_to_library",
    ),
    # The rules.
    path("<int:pk>/rules/", rules.rules, name="rules"),
    path("<int:pk>/rules/load/", rules.rules_load, name="rules_load"),
    path("<int:pk>/rules/settings/", rules.rules_settings, name="rules_settings"),
    path("<int:pk>/rules/<int:rule_pk>/", rules.rule_edit, name="rule_edit"),
    path("<int:pk>/rules/<int:rule_pk>/move/", rules.rule_move, name="rule_move"),
    path("<int:pk>/rules/<int:rule_pk>/delete/", rules.rule_delete, name="rule_delete"),
    # The client panel.
    path("<int:pk>/panel/", panel.panel, name="panel"),
    path("<int:pk>/panel/<int:member_pk>/", panel.panel_member_edit, name="panel_member_edit"),
    path(
        "<int:pk>/panel/<int:member_pk>/delete/",
        panel.panel_member_delete,
        name="panel_member_delete",
    ),
    # The tables of a kitchen-table session.
    path("<int:pk>/tables/", tables.tables, name="session_tables"),
    # The listeners.
    path("<int:pk>/listeners/", listeners.listeners, name="listeners"),
    path("<int:pk>/listeners/<int:listener_pk>/", listeners.listener_edit, name="listener_edit"),
    path(
        "<int:pk>/listeners/<int:listener_pk>/briefed/",
        listeners.listener_briefed,
        name="listener_briefed",
    ),
    path(
        "<int:pk>/listeners/<int:listener_pk>/delete/",
        listeners.listener_delete,
        name="listener_delete",
    ),
    # Invitations.
    path("<int:pk>/invitations/", invitations.invitations, name="invitations"),
    path("<int:pk>/calendar.ics", invitations.session_ics, name="session_ics"),
    # The presenter screen.
    path("<int:pk>/screen/", screen.screen, name="screen"),
    path("<int:pk>/screen/state", screen.screen_state, name="screen_state"),
    # The participants' evaluation.
    path("<int:pk>/evaluation/", evaluation.evaluation_summary, name="evaluation_summary"),
    path(
        "<int:pk>/evaluation/links/",
        evaluation.evaluation_links_create,
        name="evaluation_links_create",
    ),
    path("<int:pk>/evaluation/sheet/", evaluation.evaluation_sheet, name="evaluation_sheet"),
]

# The access log of the organisations the user coordinates: mounted under /access-log/.
access_log_urlpatterns = [
    path("", access_log.access_log, name="access_log"),
    path("export.csv", access_log.access_log_csv, name="access_log_csv"),
]

# An organisation's rule set and question library: mounted under /organisations/<pk>/, beside
# participants' pages of the same organisation.
organisation_urlpatterns = [
    path("rules/", organisation.org_rules, name="org_rules"),
    path("rules/start/", organisation.org_rules_start, name="org_rules_start"),
    path("rules/<int:rule_pk>/", organisation.org_rule_edit, name="org_rule_edit"),
    path("rules/<int:rule_pk>/move/", organisation.org_rule_move, name="org_rule_move"),
    path("rules/<int:rule_pk>/delete/", organisation.org_rule_delete, name="org_rule_delete"),
    path("library/", organisation.org_library, name="org_library"),
    path("library/<int:question_pk>/", organisation.org_library_edit, name="org_library_edit"),
    path(
        "library/<int:question_pk>/move/",
        organisation.org_library_move,
        name="org_library_move",
    ),
    path(
        "library/<int:question_pk>/delete/",
        organisation.org_library_delete,
        name="org_library_delete",
    ),
]

public_urlpatterns = [
    path("<str:token>/", evaluation.evaluation_form, name="evaluation_form"),
    path("<str:token>/thanks/", evaluation.evaluation_thanks, name="evaluation_thanks"),
]
