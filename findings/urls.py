"""What the professionals do with what they heard: mounted by spiegel.urls.

`session_urlpatterns` live under /sessions/<pk>/: the live capture, the listeners' view, the
debrief, the feedback letter, the session's PDFs, and a panel member's rights (withdrawal,
erasure, inzage: they reach the member's findings). `urlpatterns` live under /actions/: the
improvement actions across sessions, their exports, insights and the overview PDF.
`public_urlpatterns` live under /u/: a client's personal page "U zei, wij deden", no account.
"""

from django.urls import path

from findings.reports.documents import SESSION_DOCUMENTS
from findings.views import (
    actions,
    debrief,
    follow,
    listen,
    live,
    lookback,
    privacy,
    reports,
    rights,
    tables,
    themes,
)

session_urlpatterns = [
    # The facilitator's live page.
    path("live/", live.live_page, name="live"),
    path("live/state", live.live_state, name="live_state"),
    path("live/checkin/", live.live_checkin, name="live_checkin"),
    path("live/rules-explained/", live.live_rules_explained, name="live_rules_explained"),
    path("live/question/<int:question_pk>/", live.live_question, name="live_question"),
    path("live/step/<str:step>/", live.live_step, name="live_step"),
    path("live/end/", live.live_end, name="live_end"),
    path("live/findings/", live.live_capture, name="live_capture"),
    path("live/findings/<int:finding_pk>/", live.live_edit, name="live_finding"),
    # The kitchen tables: each table's live page, its notes and golden tips; the plenary.
    path("tables/<int:table_pk>/live/", tables.table_live, name="table_live"),
    path("tables/<int:table_pk>/live/findings/", tables.table_capture, name="table_capture"),
    path("tables/<int:table_pk>/tips/", tables.table_tip, name="table_tip"),
    path("plenary/", tables.plenary, name="plenary"),
    path("plenary/screen", tables.plenary_screen, name="plenary_screen"),
    path("plenary/<int:tip_pk>/split/", tables.plenary_split, name="plenary_split"),
    # The listeners' view with their private jotting pad.
    path("listen/", listen.listen, name="listen"),
    path("listen/state", listen.listen_state, name="listen_state"),
    path("listen/jotting/", listen.listen_jotting, name="listen_jotting"),
    # The listener's leervragen (before) and reflection (after).
    path("listen/learning/", listen.listen_learning, name="listen_learning"),
    # The debrief.
    path("debrief/", debrief.debrief_page, name="debrief"),
    path("debrief/answers/", debrief.debrief_answers, name="debrief_answers"),
    path("debrief/themes/", debrief.theme_create, name="debrief_theme_create"),
    path("debrief/findings/theme/", debrief.bulk_theme, name="debrief_bulk_theme"),
    path(
        "debrief/findings/<int:finding_pk>/theme/",
        debrief.finding_theme,
        name="debrief_finding_theme",
    ),
    path(
        "debrief/findings/<int:finding_pk>/blind-spot/",
        debrief.finding_blind_spot,
        name="debrief_blind_spot",
    ),
    path(
        "debrief/findings/<int:finding_pk>/correct/",
        debrief.finding_correct,
        name="debrief_finding_correct",
    ),
    # Theme suggestions (local TF-IDF): a person accepts, changes or rejects each.
    path("debrief/suggestions/", themes.theme_suggestions, name="theme_suggestions"),
    path(
        "debrief/suggestions/group/",
        themes.theme_suggestion_group,
        name="theme_suggestion_group",
    ),
    path(
        "debrief/suggestions/<int:finding_pk>/",
        themes.theme_suggestion_decide,
        name="theme_suggestion_decide",
    ),
    path("debrief/lessons/", debrief.lesson_add, name="debrief_lesson_add"),
    path(
        "debrief/lessons/<int:lesson_pk>/delete/",
        debrief.lesson_delete,
        name="debrief_lesson_delete",
    ),
    path("debrief/actions/new/", debrief.action_new, name="debrief_action_new"),
    path("debrief/conclude/", debrief.conclude, name="debrief_conclude"),
    # The privacy guard's hits: replace by a neutral tag, or dismiss.
    path("debrief/privacy/<int:hit_pk>/replace/", privacy.hit_replace, name="privacy_hit_replace"),
    path("debrief/privacy/<int:hit_pk>/dismiss/", privacy.hit_dismiss, name="privacy_hit_dismiss"),
    # The feedback letter to the clients.
    path("feedback/", debrief.feedback_letter, name="feedback_letter"),
    path("feedback/redraft/", debrief.feedback_redraft, name="feedback_redraft"),
    # A client's rights at any time, also after closing (the panel page links here).
    path("panel/<int:member_pk>/rights/", rights.panel_member_rights, name="panel_member_rights"),
    path(
        "panel/<int:member_pk>/withdraw/",
        rights.panel_member_withdraw,
        name="panel_member_withdraw",
    ),
    path("panel/<int:member_pk>/erase/", rights.panel_member_erase, name="panel_member_erase"),
    path(
        "panel/<int:member_pk>/rectify/", rights.panel_member_rectify, name="panel_member_rectify"
    ),
    path("panel/<int:member_pk>/inzage/", rights.panel_member_inzage, name="panel_member_inzage"),
    # The terugblik on the earlier sessions, and the opening item it puts in the guide.
    path("terugblik/", lookback.lookback, name="lookback"),
    path("terugblik/opening/", lookback.lookback_recap, name="lookback_recap"),
    # The clients' personal links to "U zei, wij deden" (issue, revoke, e-mail, the letter).
    path("follow/", follow.follow_links, name="follow_links"),
    path("follow/<int:member_pk>/issue/", follow.follow_link_issue, name="follow_link_issue"),
    path("follow/<int:member_pk>/revoke/", follow.follow_link_revoke, name="follow_link_revoke"),
    path("follow/<int:member_pk>/mail/", follow.follow_link_mail, name="follow_link_mail"),
    path("follow/<int:member_pk>/letter.pdf", follow.follow_letter_pdf, name="follow_letter_pdf"),
    # The session's PDFs, and a DEBUG-only HTML preview of each.
    *(
        path(f"{d.slug}.pdf", reports.session_document, {"slug": d.slug}, name=f"{d.name}_pdf")
        for d in SESSION_DOCUMENTS.values()
    ),
    *(
        path(
            f"{d.slug}.html",
            reports.session_document_preview,
            {"slug": d.slug},
            name=f"{d.name}_preview",
        )
        for d in SESSION_DOCUMENTS.values()
    ),
]

# "U zei, wij deden" for clients, without an account (the token is the key): mounted under /u/.
public_urlpatterns = [
    path("<str:token>/", follow.follow_page, name="follow_page"),
    path("<str:token>/mail/", follow.follow_page_mail, name="follow_page_mail"),
]

urlpatterns = [
    path("", actions.action_list, name="action_list"),
    path("export.csv", actions.action_export_csv, name="action_export_csv"),
    path("export.xlsx", actions.action_export_xlsx, name="action_export_xlsx"),
    path("insights/", actions.action_insights, name="action_insights"),
    path("insights/network/", actions.action_network_insights, name="action_network_insights"),
    path("suggest/sessions/", actions.action_suggest_sessions, name="action_suggest_sessions"),
    path("suggest/owners/", actions.action_suggest_owners, name="action_suggest_owners"),
    path("report.pdf", reports.actions_report, name="actions_report_pdf"),
    path("report.html", reports.actions_report_preview, name="actions_report_preview"),
    path("report/<uuid:job_id>/", reports.actions_report_job, name="actions_report_job"),
    path(
        "report/<uuid:job_id>/download",
        reports.actions_report_job_download,
        name="actions_report_job_download",
    ),
    path("<int:pk>/", actions.action_detail, name="action_detail"),
    path("<int:pk>/edit/", actions.action_edit, name="action_edit"),
]
