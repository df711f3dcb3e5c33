"""The facilitator's live page: check-in, the rules, the guide question by question, capture.

Every change goes through sessions.services.live or findings.services.capture; these views
only translate HTTP.
The page runs on htmx: steps, questions and corrections post through htmx and get template
partials back (the `state` partial of live.html swaps its parts out of band); the page polls
live/state to follow another tab or the other facilitator, with versions as in spiegel.polling
(204 while nothing changed, 286 once the meeting is over). Only the capture endpoint speaks
JSON, to static/js/note-queue.js, which keeps every note in the browser until the server has
stored it once under its browser-made client_id. Without JavaScript every form still works by
a plain POST and a redirect back to the page.

Listeners and coordinators may not open this page (403, with the reason); outsiders get 404.
"""

import uuid

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Max, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from findings.constants import FINDING_TEXT_LIMIT, FindingKind
from findings.forms.live import CaptureForm, CheckInForm, EditForm, error_list
from findings.models import Finding
from findings.services.capture import CaptureRefused, EditConflict, capture_finding, edit_finding
from findings.tasks import check_session_privacy
from participants.constants import AccessAction
from participants.models import AccessLog
from sessions.access import get_session_for
from sessions.constants import LiveStep, QuestionKind
from sessions.models import Session, TransitionError
from sessions.services import live
from spiegel.polling import POLL_DONE

LIVE_TEMPLATE = "findings/live/live.html"
CAPTURING_STEPS = (LiveStep.QUESTIONS, LiveStep.CLARIFYING)


# — access and answers —


def _facilitated(request, pk, *, change=False, people=True):
    """The session if the user (co-)facilitates it. Outsiders get 404 from get_session_for;
    listeners and coordinators, who know the session exists, get 403 with the reason."""
    permission = "change_live" if change else "run_live"
    return get_session_for(request.user, pk, permission, people=people)


def _corrector(request, pk, finding_pk, *, change):
    """The session if the user may correct this note: a facilitator, or the host of the table
    the note was said at."""
    session = get_session_for(request.user, pk)
    if session.access.is_table_host and not session.access.is_facilitator:
        note = session.findings.select_related("table").filter(pk=finding_pk).first()
        if (
            note is not None
            and note.table is not None
            and session.access.can_capture_at(note.table)
        ):
            return session
    session.access.require("change_live" if change else "run_live")
    return session


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _answer(request, session, *, error=None, status=409):
    """After a step: the page's new state for htmx, else a message and back to the page."""
    if request.htmx:
        if error:
            context = {"errors": [str(e) for e in error]}
            return render(request, f"{LIVE_TEMPLATE}#action-error", context, status=status)
        session.refresh_from_db()
        return _state(request, session, stage=True, notes=True)
    for message in error or ():
        messages.error(request, message)
    return redirect("live", session.pk)


def _millis(moment):
    return int(moment.timestamp() * 1000) if moment else ""


def short_name(name: str) -> str:
    """A real name cut short, to recognise people: "Jan de Vries" → "Jan de V."."""
    first, *rest = name.split() or [""]
    # Lower-case parts are Dutch infixes (van, de, ter): kept, they are not the name.
    return " ".join([first, *(part if part.islower() else f"{part[0]}." for part in rest)])


# — what the page shows —


def _stage_version(session) -> str:
    # Every step, question change and check-in saves the session, so updated_at moves.
    return f"{session.status}:{_millis(session.updated_at)}"


def _notes_question(session):
    """Whose notes the page lists: the current question's; in the clarifying step the guide's
    LISTENER question's when there is one (it is that step), else the loose ones."""
    if session.live_step == LiveStep.QUESTIONS:
        return session.current_question_id
    clarifying = session.live_step == LiveStep.CLARIFYING
    # One query, cached on the instance (refresh_from_db clears it).
    if clarifying and session.current_question_id is not None:
        return (
            session.current_question_id
            if session.current_question.kind == QuestionKind.LISTENER
            else None
        )
    return None


def _notes_version(session) -> str:
    seen = session.findings.aggregate(n=Count("pk"), last=Max("updated_at"))
    return f"{_notes_question(session)}:{seen['n']}:{_millis(seen['last'])}"


def _notes(session):
    notes = session.findings.select_related("speaker").order_by("-created_at", "-pk")
    return notes.filter(question_id=_notes_question(session))


def _speakers(session):
    return list(session.panel_members.confirmed().filter(erased_at__isnull=True))


def _stage_context(session, user):
    """Everything the step area needs; the queries depend on the step, not on the data."""
    guide = list(session.questions.all())
    questions = live.walked(guide)
    current = next((q for q in questions if q.pk == session.current_question_id), None)
    previous, following = live.neighbours(session, questions)
    step = session.live_step
    context = {
        "session": session,
        "step": step,
        "steps": _steps(session),
        "questions": questions,
        "clarifying_question": live.clarifying_question(session, guide),
        "current": current,
        "position": questions.index(current) + 1 if current else None,
        "previous": previous,
        "following": following,
        "capturing": step in CAPTURING_STEPS,
        "question_started_ms": _millis(session.question_started_at),
        "may_end": _may_end(session, current, following),
    }
    if step == LiveStep.CHECK_IN:
        members = list(session.panel_members.counted().select_related("contact"))
        for member in members:
            contact = getattr(member, "contact", None)
            member.short_name = short_name(contact.name) if contact else ""
        AccessLog.record(user, AccessAction.VIEW_CONTACTS, session=session, detail="check-in")
        context["members"] = members
        context["listeners"] = list(session.listeners.all())
    elif step == LiveStep.OPENING:
        context["rules"] = list(session.rules.all())
    return context


def _may_end(session, current, following) -> bool:
    """Ending is offered from the last step only: the last question or the clarifying step."""
    if session.live_step == LiveStep.CLARIFYING:
        return True
    return session.live_step == LiveStep.QUESTIONS and current is not None and following is None


STEP_LABELS = {
    LiveStep.CHECK_IN: gettext_lazy("Aanwezigheid"),
    LiveStep.OPENING: gettext_lazy("Spelregels"),
    LiveStep.QUESTIONS: gettext_lazy("Vragen"),
    LiveStep.CLARIFYING: gettext_lazy("Vragen van toehoorders"),
}


def _steps(session):
    order = [LiveStep.CHECK_IN, LiveStep.OPENING, LiveStep.QUESTIONS]
    if session.listener_questions_allowed:
        order.append(LiveStep.CLARIFYING)
    current = order.index(session.live_step) if session.live_step in order else 0
    return [
        {"label": STEP_LABELS[step], "current": i == current, "done": i < current}
        for i, step in enumerate(order)
    ]


def _strings():
    """Texts the script shows, translated here so the script holds no language."""
    return {
        "waitingOne": _("1 notitie wacht op opslaan."),
        "waitingMany": _("{n} notities wachten op opslaan."),
        "offline": _("Geen verbinding; ze worden vanzelf verstuurd zodra het weer kan."),
        "loggedOut": _(
            "U bent uitgelogd. Log in een ander tabblad opnieuw in; de notities blijven bewaard."
        ),
        "serverError": _("De server antwoordt niet goed; het wordt zo opnieuw geprobeerd."),
        "allSaved": _("Alle notities zijn opgeslagen."),
        "sending": _("wordt opgeslagen"),
        "waiting": _("wacht op opslaan"),
        "empty": _("Schrijf eerst een notitie."),
        "tooLong": _("Deze notitie is te lang: hoogstens {limit} tekens, het zijn er nu {n}."),
        "rejected": _("Deze notitie is niet opgeslagen:"),
        "restore": _("Terug in het invoerveld"),
        "discard": _("Weggooien"),
        "discardConfirm": _("Deze notitie weggooien? Ze is niet opgeslagen."),
        "draftRestored": _("Niet opgeslagen tekst is teruggezet."),
        "actionFailed": _("Geen verbinding: dit is niet gelukt. Probeer het opnieuw."),
        "editFailed": _("Geen verbinding: de wijziging is niet opgeslagen. Probeer het opnieuw."),
        "over": _("{n} min over"),
        "endConfirm": _(
            "Het gesprek beëindigen? Daarna gaat het gesprek naar het nagesprek en kunnen "
            "er geen notities meer bij."
        ),
        "endQueue": _(
            "Let op: {n} notitie(s) wachten nog op opslaan. Ze worden bewaard zodra er "
            "verbinding is, ook na het beëindigen."
        ),
        "leftover": _("Deze tekst stond nog in het invoerveld en is niet opgeslagen:"),
    }


def _page_context(request, session):
    context = _stage_context(session, request.user)
    context.update(
        {
            "speakers": _speakers(session),
            "notes": _notes(session),
            "notes_question": _notes_question(session),
            "stage_version": _stage_version(session),
            "notes_version": _notes_version(session),
            "kinds": FindingKind.choices,
            "default_kind": FindingKind.IMPROVEMENT,
            "client_id": uuid.uuid4(),
            "live_at_ms": _millis(session.live_at),
            "server_now_ms": _millis(timezone.now()),
            "text_limit": FINDING_TEXT_LIMIT,
            "strings": _strings(),
            # A meeting at kitchen tables: the facilitator follows them from the live page.
            "has_tables": session.tables.exists(),
        }
    )
    return context


def _summary(session):
    """Counts for the end of the meeting: per kind, starred, per question."""
    counts = session.findings.aggregate(
        total=Count("pk"),
        starred=Count("pk", filter=Q(starred=True)),
        **{kind: Count("pk", filter=Q(kind=kind)) for kind in FindingKind.values},
    )
    # An aggregate drops Meta.ordering (GROUP BY), so the guide's order is asked for here.
    questions = list(session.questions.annotate(n=Count("findings")).order_by("position", "pk"))
    return {
        "total": counts["total"],
        "starred": counts["starred"],
        "by_kind": [(label, counts[kind]) for kind, label in FindingKind.choices],
        "by_question": questions,
        "loose": counts["total"] - sum(q.n for q in questions),
    }


# — pages —


@never_cache
def live_page(request, pk):
    session = _facilitated(request, pk)
    if session.access.is_live:
        return render(request, LIVE_TEMPLATE, _page_context(request, session))
    if session.access.is_over:
        context = {"session": session, "summary": _summary(session), "strings": _strings()}
        return render(request, "findings/live/ended.html", context)
    missing = session.missing_for_planned() + session.missing_for_live()
    return render(
        request, "findings/live/not_started.html", {"session": session, "missing": missing}
    )


@never_cache
@require_GET
def live_state(request, pk):
    """What another tab needs to stay in step: the parts whose version moved, else 204."""
    session = _facilitated(request, pk)
    if not session.access.is_live:
        # The meeting is over: stop polling and reload into the summary (and the note queue).
        response = HttpResponse(status=POLL_DONE)
        response["HX-Refresh"] = "true"
        return response
    stage = request.GET.get("stage_v") != _stage_version(session)
    notes = request.GET.get("notes_v") != _notes_version(session)
    if not (stage or notes):
        return HttpResponse(status=204)
    return _state(request, session, stage=stage, notes=notes)


def _state(request, session, *, stage, notes):
    """The `state` partial: the stage, speakers, question and announcement; and/or the notes."""
    context = {"session": session, "stage": stage, "notes_changed": notes, "oob": True}
    if stage:
        context.update(_stage_context(session, request.user))
        context.update(
            speakers=_speakers(session),
            stage_version=_stage_version(session),
            notes_question=_notes_question(session),
        )
        if context["position"]:
            context["announce"] = _("Nu: vraag %(n)s van %(total)s.") % {
                "n": context["position"],
                "total": len(context["questions"]),
            }
        else:
            context["announce"] = str(STEP_LABELS[session.live_step])
    if notes:
        context.update(
            notes=_notes(session),
            notes_version=_notes_version(session),
            notes_question=_notes_question(session),
        )
    return render(request, f"{LIVE_TEMPLATE}#state", context)


# — steps —


@require_POST
def live_checkin(request, pk):
    session = _facilitated(request, pk, change=True)
    form = CheckInForm(request.POST, session=session)
    if not form.is_valid():
        return _answer(request, session, error=error_list(form), status=400)
    try:
        live.check_in(
            session=session,
            present_members=form.cleaned_data["members"],
            present_listeners=form.cleaned_data["listeners"],
            online_members=form.cleaned_data["online_members"],
            online_listeners=form.cleaned_data["online_listeners"],
        )
    except TransitionError as error:
        return _answer(request, session, error=error.messages)
    return _answer(request, session)


@require_POST
def live_rules_explained(request, pk):
    session = _facilitated(request, pk, change=True)
    try:
        live.explain_rules(session=session)
    except TransitionError as error:
        return _answer(request, session, error=error.messages)
    return _answer(request, session)


@require_POST
def live_question(request, pk, question_pk):
    session = _facilitated(request, pk, change=True)
    question = get_object_or_404(session.questions, pk=question_pk)
    try:
        live.go_to_question(session=session, question=question)
    except TransitionError as error:
        return _answer(request, session, error=error.messages)
    return _answer(request, session)


@require_POST
def live_step(request, pk, step):
    if step not in LiveStep.values:
        raise Http404
    session = _facilitated(request, pk, change=True)
    try:
        live.go_to_step(session=session, step=step)
    except TransitionError as error:
        return _answer(request, session, error=error.messages)
    return _answer(request, session)


@require_POST
def live_end(request, pk):
    session = _facilitated(request, pk, change=True)
    if session.access.is_live:
        questions = live.walked(session.questions.all())
        current = next((q for q in questions if q.pk == session.current_question_id), None)
        if not _may_end(session, current, live.neighbours(session, questions)[1]):
            return _answer(request, session, error=[_("Beëindig het gesprek na de laatste vraag.")])
    try:
        session = live.end_meeting(session_id=session.pk)
    except TransitionError as error:
        # Another tab (or a double click) may have ended it a moment ago.
        if not Session.objects.get(pk=session.pk).is_over:
            return _answer(request, session, error=error.messages)
        messages.info(request, _("Het gesprek was al beëindigd."))
        return redirect("live", session.pk)
    # The privacy guard reads every note in the background (deduce is slow to load).
    transaction.on_commit(lambda: check_session_privacy.enqueue(session.pk))
    messages.success(request, _("Het gesprek is beëindigd. Nu volgt het nagesprek."))
    return redirect("live", session.pk)


# — findings —


def _note_html(finding):
    """The stored note as the live page lists it. Without the request: the shown note needs
    no CSRF token, user or messages, so the context processors would run for nothing."""
    return render_to_string("findings/live/_note.html", {"note": finding})


@require_POST
def live_capture(request, pk):
    """Store one note, once per browser-made client_id: 201 new, 200 already stored."""
    # The note names nobody and its answer is JSON, not a page: no facilitators.
    session = _facilitated(request, pk, change=True, people=False)
    return capture_note(request, session, redirect("live", session.pk))


def capture_note(request, session, back, *, table=None):
    """Store the note posted to `request` (at `table`, whose notes carry no question): JSON
    for the browser's queue (201 new, 200 already stored, 400 with the reasons), or messages
    and `back` for a plain form post. The live page and a table's live page answer alike."""
    form = CaptureForm(request.POST)
    errors = None
    if form.is_valid():
        kwargs = form.service_kwargs()
        if table is not None:
            kwargs.update(question_id=None, table=table)
        try:
            finding, created = capture_finding(session=session, user=request.user, **kwargs)
        except CaptureRefused as error:
            errors = error.messages
    else:
        errors = error_list(form)
    if not _wants_json(request):
        for message in errors or [_("De notitie is opgeslagen.")]:
            (messages.error if errors else messages.success)(request, message)
        return back
    if errors:
        return JsonResponse({"errors": errors}, status=400)
    return JsonResponse(
        {
            "id": finding.pk,
            "client_id": str(finding.client_id),
            "question": finding.question_id,
            "version": finding.version,
            "created": created,
            "html": _note_html(finding),
        },
        status=201 if created else 200,
    )


def _note_answer(request, session, note, *, status=200, values=None, errors=(), conflict=None):
    """One note for htmx: shown, or in its correction form (with errors or a conflict)."""
    context = {"note": note, "focus": values is None}
    if values is not None:
        context.update(
            editing=True,
            values=values,
            errors=errors,
            conflict=conflict,
            kinds=FindingKind.choices,
            speakers=_speakers(session),
        )
        if note.speaker_id and note.speaker_id not in {m.pk for m in context["speakers"]}:
            context["speakers"].append(note.speaker)
    return render(request, "findings/live/_note.html", context, status=status)


def _values(finding):
    return {
        "text": finding.text,
        "kind": finding.kind,
        "speaker": str(finding.speaker_id or ""),
        "starred": finding.starred,
    }


@require_http_methods(["GET", "POST"])
def live_edit(request, pk, finding_pk):
    """Correct a note; a stale version answers 409 with both texts, never an overwrite.
    A table's host corrects the notes of their own table (kitchen tables) the same way."""
    session = _corrector(request, pk, finding_pk, change=request.method == "POST")
    if request.method == "GET":
        if not request.htmx:
            return redirect("live", session.pk)
        note = get_object_or_404(session.findings.select_related("speaker"), pk=finding_pk)
        values = _values(note) if request.GET.get("edit") else None
        return _note_answer(request, session, note, values=values)
    form = EditForm(request.POST)
    values = {
        "text": request.POST.get("text", ""),
        "kind": request.POST.get("kind", ""),
        "speaker": request.POST.get("speaker", ""),
        "starred": bool(request.POST.get("starred")),
    }
    if not form.is_valid():
        return _edit_refused(request, session, finding_pk, values, error_list(form))
    try:
        finding = edit_finding(
            finding_id=finding_pk, session=session, user=request.user, **form.service_kwargs()
        )
    except Finding.DoesNotExist:
        raise Http404 from None
    except CaptureRefused as error:
        return _edit_refused(request, session, finding_pk, values, error.messages)
    except EditConflict as conflict:
        if not request.htmx:
            return _answer(request, session, error=[_("Deze notitie is intussen gewijzigd.")])
        return _note_answer(
            request, session, conflict.current, status=409, values=values, conflict=conflict.current
        )
    if not request.htmx:
        messages.success(request, _("De notitie is gewijzigd."))
        return redirect("live", session.pk)
    return _note_answer(request, session, finding)


def _edit_refused(request, session, finding_pk, values, errors):
    if not request.htmx:
        return _answer(request, session, error=errors, status=400)
    note = get_object_or_404(session.findings.select_related("speaker"), pk=finding_pk)
    return _note_answer(request, session, note, status=400, values=values, errors=errors)
