"""The terugblik of a session (/sessions/<pk>/terugblik/): what became of the earlier
sessions' actions of the same organisations, and the themes that keep returning.

It lives in findings (it reads actions and themes); the session's preparation page loads its
summary with htmx (`?deel=samenvatting`) and links here by URL name, so sessions imports
nothing of findings. The facilitators put the opening item "Wat deden we met wat u vorige
keer zei?" in the guide from here (`lookback_recap`): the client sentences are copied onto
the guide item, so the live page and the presenter screen show them without findings.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from findings.services import lookback as service
from sessions.access import get_session_for
from sessions.services.sessions import recap_question

PAGE = "findings/lookback/lookback.html"


@require_safe
def lookback(request, pk):
    session = get_session_for(request.user, pk, "see_lookback")
    context = {"session": session, "lookback": service.lookback_for(session)}
    if request.GET.get("deel") == "samenvatting":
        return render(request, f"{PAGE}#summary", {**context, "linked": True})
    context["recap_item"] = recap_question(session) if session.access.can_add_recap else None
    context["recap"] = service.recap_of(context["lookback"], language=session.language)
    return render(request, PAGE, context)


@require_POST
def lookback_recap(request, pk):
    session = get_session_for(request.user, pk, "add_recap")
    _item, created = service.put_recap(session=session)
    if created:
        messages.success(
            request, _("Het terugblik-onderdeel staat nu als eerste in de vragenlijst.")
        )
    else:
        messages.success(request, _("De zinnen in het terugblik-onderdeel zijn bijgewerkt."))
    return redirect("lookback", session.pk)
