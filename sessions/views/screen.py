"""The presenter screen: what the whole room sees, for a projector.

It only reads the live state that sessions.services.live moves and polls a small fragment of
it every second (spiegel.polling), so it follows the facilitator within two seconds even when
one poll is slow. It never shows findings or names: the screen is projected to the panel.
Nothing here is cached (never_cache): the state must be fresh.
"""

from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache

from sessions.access import get_session_for
from sessions.services.live import room_state
from spiegel.polling import fragment, poll_response


def _screen_context(request, session):
    return {
        "session": session,
        "state": room_state(session),
        "clock": request.GET.get("klok") == "1",
    }


@never_cache
def screen(request, pk):
    """Full screen, for a projector: the facilitator opens it; anyone who may see the session
    may, since it shows only what the whole room sees. In the session's own language."""
    session = get_session_for(request.user, pk, "open_screen")
    with translation.override(session.language):
        context = _screen_context(request, session)
        context["state_html"], _version = fragment(
            request, "sessions/screen/screen.html#state", context
        )
        # A kitchen-table session shows the plenary beside the scene: the tables and their
        # golden tips as they come in, loaded by URL from findings (this app knows no tips).
        context["plenary"] = session.access.can_see_tips and session.tables.exists()
        return render(request, "sessions/screen/screen.html", context)


@never_cache
def screen_state(request, pk):
    session = get_session_for(request.user, pk, "open_screen")
    with translation.override(session.language):
        return poll_response(
            request,
            "sessions/screen/screen.html#state",
            _screen_context(request, session),
            done=session.is_over,
        )
