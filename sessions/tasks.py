"""Background work of the sessions app, through Django's tasks framework.

Production runs django-tasks-db's `manage.py db_worker`; tests use the immediate backend, so
an enqueued task runs inline. The framework has no scheduler of its own: the daily reminder
run is started by cron or a systemd timer with `manage.py send_reminders` (inline) or
`manage.py send_reminders --enqueue` (on the queue, for the worker).
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.tasks import task

from sessions.models import Session
from sessions.services import invitations


@task()
def send_invitations_task(session_id, user_id, listeners=True, panel=True, only_new=False):
    """Send a session's invitations; returns the counts (JSON) or the reason it could not."""
    session = Session.objects.select_related("facilitator").filter(pk=session_id).first()
    if session is None:
        return {"error": "session not found"}
    by = get_user_model().objects.filter(pk=user_id).first()
    try:
        result = invitations.send_invitations(
            session=session, by=by, listeners=listeners, panel=panel, only_new=only_new
        )
    except ValidationError as error:
        # The session changed between click and run (unplanned, started): nothing to send.
        return {"error": " ".join(error.messages)}
    return result.as_dict()


@task()
def send_reminders():
    """Remind everyone of each planned session that starts in 6 to 7 days, once per session."""
    return invitations.send_due_reminders()
