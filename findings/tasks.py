"""Background work of the findings app, through Django's tasks framework.

Production runs django-tasks-db's `manage.py db_worker`; tests use the immediate backend. The
framework has no scheduler: cron or a systemd timer starts the daily run with
`manage.py send_action_reminders` (inline) or `manage.py send_action_reminders --enqueue`.
"""

from django.tasks import task

from findings.services import follow, privacy, reminders


@task()
def send_action_reminders():
    """E-mail owners and co-owners about their overdue actions and those due within a week:
    one mail per person. Returns the counts."""
    return reminders.send_action_reminders()


@task()
def check_session_privacy(session_id):
    """The privacy guard over every text of a session, after the meeting; returns the number
    of hits waiting for someone to replace or dismiss them."""
    return privacy.check_session(session_id)


@task()
def send_follow_mails():
    """E-mail the clients who asked for it about actions done or dropped since their last
    mail: one mail per member, at most one a week. Returns the counts."""
    return follow.send_follow_mails()
