"""The debrief page (/sessions/<pk>/debrief/) and the feedback letter (/sessions/<pk>/feedback/).

Every view starts from sessions.access.get_session_for with the debrief's permission: outsiders
get 404, readers who try to change something a 403 with the reason. The forms work without
JavaScript; htmx swaps only the part that changed when it is there.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from findings.forms.debrief import (
    ActionForm,
    AnswersForm,
    BulkThemeForm,
    CorrectionForm,
    FilterForm,
    FindingThemeForm,
    LessonForm,
    LetterForm,
    ThemeForm,
)
from findings.models import Theme, default_action_organisation
from findings.services import debrief as service
from findings.services import learning, lookback, privacy
from findings.services.actions import create_action
from findings.services.capture import CaptureRefused, EditConflict, edit_finding
from findings.services.jottings import jotting_of
from participants.constants import AccessAction
from participants.models import AccessLog
from sessions.access import get_session_for
from spiegel.languages import client_language, client_language_codes, with_language

PAGE = "findings/debrief/debrief.html"


# — helpers —


def _filter_form(data, themes, counts=None):
    return FilterForm(data, themes=themes, counts=counts)


def _posted_filters(request, session) -> FilterForm:
    """The list's filters, sent along by every form on the page so we return to the same view."""
    data = QueryDict(request.POST.get("filters", "")[:500])
    return _filter_form(data, Theme.objects.for_session(session))


def _debrief_url(session, filter_form=None, anchor="") -> str:
    url = reverse("debrief", args=[session.pk])
    query = filter_form.query() if filter_form is not None else {}
    if query:
        url += "?" + urlencode(query)
    return url + (f"#{anchor}" if anchor else "")


def _back(request, session, anchor=""):
    return redirect(_debrief_url(session, _posted_filters(request, session), anchor))


def _refused(request, error):
    for message in error.messages:
        messages.error(request, message)


def _lessons(session) -> list:
    """The session's lessons, each with `may_delete` for the user behind `session.access`."""
    lessons = service.lessons_of(session)
    for lesson in lessons:
        lesson.may_delete = session.access.can_delete_lesson(lesson)
    return lessons


def _finding_list_context(session, filter_form, themes, questions, every_finding=None):
    """The finding list's context; with `every_finding` (all of the session's, loaded) the
    filter picks from those, otherwise the database filters."""
    if every_finding is None:
        findings = list(
            service.filter_findings(service.debrief_findings(session), **filter_form.filters())
        )
    else:
        findings = service.matching_findings(every_finding, **filter_form.filters())
    return {
        "session": session,
        "can_edit": session.access.can_edit_debrief,
        "themes": themes,
        "filter_form": filter_form,
        "filters": urlencode(filter_form.query()),
        "groups": service.group_findings(findings, questions),
        "shown": len(findings),
        # Themes with open or dropped actions from earlier sessions: "komt terug".
        "returning_themes": lookback.returning_theme_ids(session),
    }


def _open_hits(session, sources) -> list:
    """The privacy guard's open hits in these texts, with the words around each."""
    return privacy.hits_for(session, sources=sources)


def _page_context(request, session, **overrides):
    # The session's findings once (a session holds tens): the filter, the counts per kind and
    # per theme come from them, not from one more aggregate query and a subquery per theme.
    actions = service.actions_of(session)
    every_finding = service.every_debrief_finding(session, actions)
    themes = service.themes_for(session, findings=every_finding)
    counts = service.count_findings(every_finding)
    filter_form = _filter_form(request.GET, themes, counts)
    context = _finding_list_context(
        session, filter_form, themes, service.questions_of(session), every_finding
    )
    debrief = service.debrief_of(session)
    context.update(
        {
            "debrief": debrief,
            "counts": counts,
            "answers_form": AnswersForm(
                initial={
                    "impact": debrief.impact,
                    "act_on": debrief.act_on,
                    "base": service.version_of(debrief),
                }
            ),
            "theme_form": ThemeForm(),
            "lesson_form": LessonForm(),
            "lessons": _lessons(session),
            "actions": actions,
            "jotting": jotting_of(session=session, author=request.user),
            "learnings": learning.readable(session, request.user),
            "theme_organisation": service.theme_organisation(session),
            "may_conclude": session.access.can_conclude_debrief,
            "open_hits": _open_hits(session, privacy.REPORT_SOURCES)
            if session.access.can_edit_debrief
            else None,
        }
    )
    context.update(overrides)
    return context


# — the page —


def debrief_page(request, pk):
    session = get_session_for(request.user, pk, "see_debrief", related=service.DEBRIEF_RELATED)
    if request.htmx and request.htmx.target == "finding-list":
        themes = list(service.themes_for(session))
        context = _finding_list_context(
            session, _filter_form(request.GET, themes), themes, service.questions_of(session)
        )
        return render(request, f"{PAGE}#finding-list", context)
    return render(request, PAGE, _page_context(request, session))


@require_POST
def debrief_answers(request, pk):
    session = get_session_for(request.user, pk, "edit_debrief")
    form = AnswersForm(request.POST)
    error, conflict, debrief = None, None, None
    if form.is_valid():
        try:
            debrief = service.save_answers(
                session=session,
                impact=form.cleaned_data["impact"],
                act_on=form.cleaned_data["act_on"],
                base_version=form.cleaned_data["base"],
            )
        except service.AnswersConflict as refused:
            error, conflict = refused.messages[0], refused.current
        except ValidationError as refused:
            error = refused.messages[0]
    else:
        error = " ".join(message for messages_ in form.errors.values() for message in messages_)
    if request.htmx:
        return render(
            request,
            f"{PAGE}#answers-status",
            {
                "error": error,
                "saved_at": debrief and timezone.localtime(debrief.updated_at),
                "answers_version": service.version_of(debrief) if debrief else None,
                "oob": True,
            },
        )
    if error is None:
        messages.success(request, _("De antwoorden zijn opgeslagen."))
        return redirect(_debrief_url(session, anchor="questions"))
    messages.error(request, error)
    return render(
        request,
        PAGE,
        _page_context(request, session, answers_form=form, answers_conflict=conflict),
    )


# — themes —


@require_POST
def theme_create(request, pk):
    session = get_session_for(request.user, pk, "edit_debrief")
    form = ThemeForm(request.POST)
    if not form.is_valid():
        for message in form.errors["name"]:
            messages.error(request, message)
        return _back(request, session, "themes")
    try:
        theme, created = service.create_theme(session=session, name=form.cleaned_data["name"])
    except ValidationError as error:
        _refused(request, error)
    else:
        if created:
            messages.success(request, _("Thema “%(name)s” is aangemaakt.") % {"name": theme.name})
        else:
            messages.info(request, _("Thema “%(name)s” bestond al.") % {"name": theme.name})
    return _back(request, session, "themes")


@require_POST
def bulk_theme(request, pk):
    session = get_session_for(request.user, pk, "edit_debrief")
    form = BulkThemeForm(request.POST, session=session)
    if form.is_valid():
        theme = form.cleaned_data["theme"]
        try:
            n = service.assign_theme(
                session=session,
                finding_ids=[f.pk for f in form.cleaned_data["findings"]],
                theme=theme,
            )
        except ValidationError as error:
            _refused(request, error)
        else:
            if theme is None:
                message = ngettext(
                    "%(n)s bevinding is uit haar thema gehaald.",
                    "%(n)s bevindingen zijn uit hun thema gehaald.",
                    n,
                )
            else:
                message = ngettext(
                    "%(n)s bevinding staat nu bij thema “%(name)s”.",
                    "%(n)s bevindingen staan nu bij thema “%(name)s”.",
                    n,
                )
            messages.success(request, message % {"n": n, "name": theme and theme.name})
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return _back(request, session, "findings")


def _finding_answer(request, session, finding_pk, error=None):
    """The changed finding for htmx (with the theme list, whose counts moved), else back."""
    if not request.htmx:
        if error:
            messages.error(request, error)
        return _back(request, session, f"finding-{finding_pk}")
    finding = get_object_or_404(service.debrief_findings(session), pk=finding_pk)
    themes = list(service.themes_for(session))
    return render(
        request,
        f"{PAGE}#finding-changed",
        {
            "session": session,
            "finding": finding,
            "themes": themes,
            "can_edit": session.access.can_edit_debrief,
            "filters": urlencode(_posted_filters(request, session).query()),
            "returning_themes": lookback.returning_theme_ids(session),
            "error": error,
            "oob": True,
        },
    )


@require_POST
def finding_theme(request, pk, finding_pk):
    session = get_session_for(request.user, pk, "edit_debrief")
    finding = get_object_or_404(session.findings, pk=finding_pk)
    form = FindingThemeForm(request.POST, session=session)
    error = None
    if form.is_valid():
        try:
            service.assign_theme(
                session=session, finding_ids=[finding.pk], theme=form.cleaned_data["theme"]
            )
        except ValidationError as refused:
            error = refused.messages[0]
    else:
        error = form.errors["theme"][0]
    return _finding_answer(request, session, finding.pk, error)


@require_POST
def finding_blind_spot(request, pk, finding_pk):
    session = get_session_for(request.user, pk, "edit_debrief")
    finding = get_object_or_404(session.findings, pk=finding_pk)
    error = None
    try:
        service.set_blind_spot(
            session=session, finding=finding, value=request.POST.get("blind_spot") == "1"
        )
    except ValidationError as refused:
        error = refused.messages[0]
    return _finding_answer(request, session, finding.pk, error)


# — correcting a note after the meeting —


@require_http_methods(["GET", "POST"])
def finding_correct(request, pk, finding_pk):
    """Correct a note (a typo, a wrong speaker, a name that must go) during the debrief,
    through the live page's edit: the old state is kept as a revision, and an edit made
    meanwhile by someone else is shown instead of being overwritten."""
    session = get_session_for(request.user, pk, "correct_findings")
    finding = get_object_or_404(
        session.findings.select_related("speaker", "question"), pk=finding_pk
    )
    if finding.is_erased:
        messages.error(request, _("Deze bevinding is gewist op verzoek van de deelnemer."))
        return redirect(_debrief_url(session, anchor=f"finding-{finding.pk}"))
    form = CorrectionForm(request.POST or None, session=session, finding=finding)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            edit_finding(
                finding_id=finding.pk, session=session, user=request.user, **form.service_kwargs()
            )
        except CaptureRefused as error:
            for message in error.messages:
                form.add_error(None, message)
        except EditConflict as stale:
            # Their words stay in the form; saving again (on the new version) puts them over
            # the other edit, knowingly.
            conflict = stale.current
            data = request.POST.copy()
            data["version"] = conflict.version
            form = CorrectionForm(data, session=session, finding=conflict)
            form.is_valid()
        else:
            messages.success(request, _("De notitie is gecorrigeerd."))
            return redirect(_debrief_url(session, anchor=f"finding-{finding.pk}"))
    return render(
        request,
        "findings/debrief/correct_finding.html",
        {
            "session": session,
            "finding": finding,
            "form": form,
            "conflict": conflict,
            "revisions": finding.revisions.count(),
        },
        status=409 if conflict else 200,
    )


# — lessons —


def _lessons_answer(request, session, form=None):
    if not request.htmx:
        return redirect(_debrief_url(session, anchor="lessons"))
    return render(
        request,
        f"{PAGE}#lessons",
        {
            "session": session,
            "can_edit": session.access.can_edit_debrief,
            "lessons": _lessons(session),
            "lesson_form": form or LessonForm(),
        },
    )


@require_POST
def lesson_add(request, pk):
    session = get_session_for(request.user, pk, "edit_debrief")
    form = LessonForm(request.POST)
    if form.is_valid():
        try:
            service.add_lesson(session=session, by=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error("text", error)
        else:
            if not request.htmx:
                messages.success(request, _("De les is vastgelegd."))
            return _lessons_answer(request, session)
    if not request.htmx:
        for message in form.errors["text"]:
            messages.error(request, message)
    return _lessons_answer(request, session, form)


@require_POST
def lesson_delete(request, pk, lesson_pk):
    session = get_session_for(request.user, pk, "edit_debrief")
    lesson = get_object_or_404(session.lessons, pk=lesson_pk)
    try:
        service.delete_lesson(session=session, by=request.user, lesson=lesson)
    except ValidationError as error:
        raise PermissionDenied(error.messages[0]) from None
    if not request.htmx:
        messages.success(request, _("De les is verwijderd."))
    return _lessons_answer(request, session)


# — improvement actions from findings —


def action_new(request, pk):
    """A new action from the findings chosen in the list ("Actie maken" posts them here)."""
    session = get_session_for(request.user, pk, "edit_debrief")
    starting = request.method == "GET" or "start" in request.POST
    if starting:
        source = request.POST if request.method == "POST" else request.GET
        chosen = BulkThemeForm(source, session=session).fields["findings"]
        try:
            initial = list(chosen.clean(source.getlist("findings")))
        except ValidationError:
            initial = []
        tip = session.golden_tips.filter(pk=_int_or_none(source.get("tip"))).first()
        form = ActionForm(
            session=session,
            initial={
                "findings": [f.pk for f in initial],
                "from_tip": tip.pk if tip else None,
                "title": tip.text[:200] if tip else "",
                "owner": request.user.pk,
                # The maker's own organisation among the session's, else its first.
                "organisation": default_action_organisation(session, request.user),
            },
        )
    else:
        form = ActionForm(request.POST, session=session)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                action = create_action(
                    session=session,
                    by=request.user,
                    findings=data.pop("findings"),
                    co_owners=data.pop("co_owners"),
                    **data,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Verbeteractie “%(title)s” is aangemaakt.") % {"title": action.title}
                )
                return redirect(_debrief_url(session, anchor="actions"))
    selected = {str(v) for v in (form["findings"].value() or [])}
    tip = session.golden_tips.filter(pk=_int_or_none(form["from_tip"].value())).first()
    return render(
        request,
        "findings/debrief/action_form.html",
        {"session": session, "form": form, "selected": selected, "tip": tip},
    )


def _int_or_none(value):
    """A key from the address or a form, or None when it is no key a database holds."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


# — concluding —


@require_POST
def conclude(request, pk):
    session = get_session_for(request.user, pk, "conclude_debrief")
    try:
        service.conclude_debrief(session=session, by=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _(
                "Het nagesprek is afgerond en het gesprek is afgesloten. De verbeteracties "
                "lopen door."
            ),
        )
    return redirect("debrief", session.pk)


# — the feedback letter —


def letter_languages(session, recipients) -> list[dict]:
    """The letter's PDFs: one in the session's language, and one more in each other language
    its recipients read (PanelMember.language), in the order of CLIENT_LANGUAGES."""
    wanted = {session.language} | {client_language(r.member.language) for r in recipients}
    names = dict(settings.CLIENT_LANGUAGES)
    url = reverse("feedback_letter_pdf", args=[session.pk])
    return [
        {
            "code": code,
            "name": names[code],
            "count": sum(1 for r in recipients if client_language(r.member.language) == code),
            "url": url if code == session.language else with_language(url, code),
        }
        for code in client_language_codes()
        if code in wanted
    ]


def feedback_letter(request, pk):
    session = get_session_for(request.user, pk, "see_debrief")
    letter = service.letter_of(session)
    may_edit = session.access.can_edit_letter(letter)
    form = None
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(session.access.letter_refusal(letter))
        form = LetterForm(request.POST)
        if form.is_valid():
            finalise = "finalise" in request.POST
            try:
                service.save_letter(
                    session=session,
                    text=form.cleaned_data["text"],
                    finalise=finalise,
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error("text", error)
            else:
                messages.success(
                    request,
                    _("De brief is definitief.") if finalise else _("De brief is opgeslagen."),
                )
                return redirect("feedback_letter", session.pk)
    elif may_edit:
        form = LetterForm(initial={"text": letter.text or service.draft_letter(session)})
    with_contacts = session.access.can_see_contacts
    recipients, excluded = service.addressees(
        session, with_contacts=with_contacts, contact_shown=session.access.can_see_contacts_of
    )
    if with_contacts:
        AccessLog.record(
            request.user,
            AccessAction.VIEW_CONTACTS,
            session=session,
            detail=_("adressering terugkoppelingsbrief"),
        )
    return render(
        request,
        "findings/feedback/letter.html",
        {
            "session": session,
            "letter_languages": letter_languages(session, recipients),
            "letter": letter,
            "form": form,
            "may_edit": may_edit,
            "refusal": "" if may_edit else session.access.letter_refusal(letter),
            "draft": None if letter.text or may_edit else service.draft_letter(session),
            "recipients": recipients,
            "excluded": excluded,
            "with_contacts": with_contacts,
            "open_hits": _open_hits(session, (privacy.HitSource.LETTER,)) if may_edit else None,
        },
    )


@require_POST
def feedback_redraft(request, pk):
    session = get_session_for(request.user, pk, "see_debrief")
    letter = service.letter_of(session)
    if not session.access.can_edit_letter(letter):
        raise PermissionDenied(session.access.letter_refusal(letter))
    try:
        service.redraft_letter(session=session)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("De brief is opnieuw opgesteld uit de verbeteracties."))
    return redirect("feedback_letter", session.pk)
