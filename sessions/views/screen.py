"""What the room sees: the presenter screen, and the listeners' view with their jotting pad.

Both pages only read the live state that sessions.services.live moves, and poll a small fragment of it
every second, so they follow the facilitator within two seconds even when one poll is slow (a
poll costs four small queries). A poll names the version of the fragment it shows; an
unchanged fragment answers 204, so nothing is swapped, nothing flickers and screen readers
announce nothing twice.
Once the meeting is over the fragment answers 286, which stops htmx polling.

Neither page ever shows findings or names: the screen is projected to the panel, and the
listeners only hear what is said in the room. Nothing here is cached (never_cache): the state
must be fresh, and the listener's page holds their private notes.
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
    session = get_session_for(request.user, pk)
    with translation.override(session.language):
        context = _screen_context(request, session)
        context["state_html"], _version = fragment(
            request, "sessions/screen/screen.html#state", context
        )
        return render(request, "sessions/screen/screen.html", context)


@never_cache
def screen_state(request, pk):
    session = get_session_for(request.user, pk)
    with translation.override(session.language):
        return poll_response(
            request,
            "sessions/screen/screen.html#state",
            _screen_context(request, session),
            done=session.is_over,
        )
