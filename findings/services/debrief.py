"""The debrief (nagesprek) and the feedback letter: what the professionals do with what they heard.

Decisions (where DESIGN.md and the issue leave room):

- **Who.** Listeners of the session and coordinators of its organisations work on the debrief
  while the session is in its debrief; the facilitator reads (DESIGN §6); everyone else gets a
  404 (findings.access). Only a coordinator concludes it, which closes the session: the debrief
  is read-only from then on, while its improvement actions live on under /actions/.
- **Annotations, not edits.** Theme and blind spot are the professionals' reading of a finding,
  not the client's words: they are set directly, without a FindingRevision. The text, kind and
  speaker of a finding stay read-only in the debrief.
- **Themes** belong to an organisation so they recur across its sessions, or to the network
  when the session's organisations share one (a werkplaats, or a partner's later session), so
  history carries across the partners. A debrief offers the themes of the session's
  organisations and of their networks (`Theme.objects.for_session`); a theme made in the
  debrief lives at `theme_home` (the shared network, else the session's first organisation). A
  name that the debrief already offers (case-insensitively) reuses that theme instead of
  failing or making a second one.
- **Withdrawn consent.** The professionals heard these words in the room, so the debrief still
  shows them, marked "toestemming ingetrokken – niet citeren"; quotes of members who never
  agreed to be quoted are marked "niet citeren". Reports leave both out.
- **The feedback letter** is written when actions have had time to land, usually after the
  session closed, so listeners and coordinators may edit it in the debrief and after closing,
  until someone makes it final. It is addressed only to panel members who agreed to receive it,
  still agree, have an e-mail address, and did not cancel or fail to turn up.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from findings.constants import ActionStatus, FindingKind
from findings.models import (
    Debrief,
    FeedbackLetter,
    Finding,
    ImprovementAction,
    Lesson,
    Theme,
    theme_home,
    themes_for_session,
)
from findings.services import privacy
from participants.constants import RecruitmentStatus
from participants.models import Listener, Membership, PanelMember, PanelMemberContact, User
from sessions.constants import OVER, Status
from sessions.models import Question, Session
from spiegel.compiled import Prepared


class DebriefRefused(ValidationError):
    """The change cannot be made here or now; the message says why, in Dutch."""


class AnswersConflict(DebriefRefused):
    """Someone else saved the answers since this editor loaded them; carries the stored state."""

    def __init__(self, current: Debrief):
        super().__init__(
            _(
                "Iemand anders heeft de antwoorden intussen gewijzigd. Uw tekst is niet "
                "opgeslagen: vergelijk hem met de opgeslagen tekst hieronder."
            )
        )
        self.current = current


def _require_debrief(session):
    if session.status != Status.DEBRIEF:
        raise DebriefRefused(_("Het nagesprek is afgerond en kan niet meer worden gewijzigd."))


# — reading —


# What get_session_for loads with the session for `debrief_of` (`related=`): no query of its own.
DEBRIEF_RELATED = ("debrief__concluded_by",)


def debrief_of(session) -> Debrief:
    """The stored debrief, or an unsaved one: reading the page never writes. From the
    session when it was loaded with DEBRIEF_RELATED, else one query."""
    if Session.debrief.is_cached(session):
        try:
            return session.debrief
        except Debrief.DoesNotExist:
            return Debrief(session=session)
    return Debrief.objects.filter(session=session).select_related("concluded_by").first() or (
        Debrief(session=session)
    )


def version_of(debrief) -> str:
    return debrief.updated_at.isoformat() if debrief.pk else ""


def themes_for(session, *, findings=None):
    """Themes of the session's organisations, with how many of this session's findings each
    holds (one query). With `findings` (all of the session's, already loaded) they are counted
    from those instead of by a subquery per theme."""
    if findings is not None:
        themes = themes_for_session(session)
        per_theme = Counter(finding.theme_id for finding in findings)
        for theme in themes:
            theme.n_findings = per_theme[theme.pk]
        return themes
    # A correlated count over this session's findings: joining the themes' findings instead
    # read every finding of every session that ever used the theme.
    count = (
        Finding.objects.filter(session=session, theme=OuterRef("pk"))
        .order_by()
        .values("theme")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Theme.objects.for_session(session).annotate(n_findings=Coalesce(Subquery(count), 0))


def theme_organisation(session):
    return theme_home(session)


def finding_counts(session) -> dict:
    """How many findings of each kind, starred, blind spots and unthemed: one query."""
    aggregates = {kind: Count("pk", filter=Q(kind=kind)) for kind in FindingKind.values}
    return session.findings.aggregate(
        total=Count("pk"),
        starred=Count("pk", filter=Q(starred=True)),
        blind_spot=Count("pk", filter=Q(blind_spot=True)),
        unthemed=Count("pk", filter=Q(theme__isnull=True)),
        **aggregates,
    )


def count_findings(findings) -> dict:
    """finding_counts of a session's findings that are loaded already: no query."""
    counts = dict.fromkeys(["total", "starred", "blind_spot", "unthemed", *FindingKind.values], 0)
    for finding in findings:
        counts["total"] += 1
        counts["starred"] += bool(finding.starred)
        counts["blind_spot"] += bool(finding.blind_spot)
        counts["unthemed"] += finding.theme_id is None
        if finding.kind in counts:
            counts[finding.kind] += 1
    return counts


def matching_findings(
    findings, *, kind="", theme=None, unthemed=False, starred=False, blind_spot=False
) -> list:
    """filter_findings over findings that are loaded already, keeping their order."""
    return [
        finding
        for finding in findings
        if (not kind or finding.kind == kind)
        and (
            finding.theme_id is None if unthemed else theme is None or finding.theme_id == theme.pk
        )
        and (not starred or finding.starred)
        and (not blind_spot or finding.blind_spot)
    ]


def filter_findings(
    findings, *, kind="", theme=None, unthemed=False, starred=False, blind_spot=False
):
    if kind:
        findings = findings.filter(kind=kind)
    if unthemed:
        findings = findings.filter(theme__isnull=True)
    elif theme is not None:
        findings = findings.filter(theme=theme)
    if starred:
        findings = findings.filter(starred=True)
    if blind_spot:
        findings = findings.filter(blind_spot=True)
    return findings


def debrief_findings(session):
    """The session's findings with what the debrief shows beside them, in two queries
    (findings with speaker and theme; the actions they answer, as a list in `answered`)."""
    return _with_debrief_parts(session.findings.all()).prefetch_related(
        Prefetch("actions", to_attr="answered")
    )


def _with_debrief_parts(findings):
    return findings.select_related("speaker", "theme").order_by("created_at", "pk")


# What the debrief page reads of its session, each compiled once per process
# (spiegel.compiled.Prepared): ~0.5 ms of Python per query saved on every view of the page.
_FINDINGS = Prepared(
    lambda session: _with_debrief_parts(Finding.objects.filter(session=session)), "session"
)
_ANSWERS = Prepared(
    lambda session: (
        Finding.actions.through.objects.filter(finding__session=session)
        .order_by()
        .values_list("finding_id", "improvementaction_id")
    ),
    "session",
)
_QUESTIONS = Prepared(lambda session: Question.objects.filter(session=session), "session")
_LESSONS = Prepared(
    lambda session: Lesson.objects.filter(session=session).select_related("created_by"),
    "session",
)
_ACTIONS = Prepared(
    lambda session: (
        ImprovementAction.objects.filter(session=session)
        .select_related("owner")
        .order_by("due_date", "pk")
    ),
    "session",
)


def every_debrief_finding(session, actions) -> list:
    """`debrief_findings(session)`, all of them, loaded, with the actions each answers from
    `actions` (`actions_of(session)`, which the page shows anyway): an action answers the
    findings of its own session (services.actions.create_action). One that answers a
    finding of another session all the same is loaded by itself."""
    findings = _of(session, _FINDINGS.rows(session=session.pk))
    by_pk = {action.pk: action for action in actions}
    answers = _ANSWERS.rows(session=session.pk)
    if strays := {pk for _finding, pk in answers} - by_pk.keys():
        by_pk.update(ImprovementAction.objects.in_bulk(strays))
    answered = defaultdict(list)
    for finding_pk, action_pk in answers:
        answered[finding_pk].append(by_pk[action_pk])
    for finding in findings:
        # In the actions' own order (due date), as the prefetch of debrief_findings has them.
        finding.answered = sorted(answered[finding.pk], key=lambda a: (a.due_date, a.pk))
    return findings


def questions_of(session) -> list:
    """The session's questions in the guide's order."""
    return _of(session, _QUESTIONS.rows(session=session.pk))


def lessons_of(session) -> list:
    """The session's lessons, each with who wrote it."""
    return _of(session, _LESSONS.rows(session=session.pk))


def actions_of(session) -> list:
    """The session's improvement actions by due date, each with its owner."""
    return _of(session, _ACTIONS.rows(session=session.pk))


def _of(session, rows) -> list:
    # As a related manager of the session would: each row knows its session.
    for row in rows:
        row.session = session
    return rows


@dataclass
class KindGroup:
    kind: str
    label: str
    findings: list = field(default_factory=list)


@dataclass
class QuestionGroup:
    number: int | None  # position in the guide, 1-based; None for findings without a question
    question: object
    kinds: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(group.findings) for group in self.kinds)


def group_findings(findings, questions) -> list[QuestionGroup]:
    """Findings by question (in the guide's order, then those without one), and within a
    question by kind (positive, verbeterpunt, wish, quote, later). Empty groups are left out."""
    by_question: dict = {}
    for finding in findings:
        by_question.setdefault(finding.question_id, {}).setdefault(finding.kind, []).append(finding)
    groups = []
    numbered = [(number, q) for number, q in enumerate(questions, start=1)]
    known = {q.pk for q in questions}
    orphans = {}
    for question_id, kinds in by_question.items():
        if question_id is not None and question_id not in known:
            for kind, items in kinds.items():  # a question deleted meanwhile: keep the words
                orphans.setdefault(kind, []).extend(items)
    for_none = by_question.get(None, {})
    for kind, items in orphans.items():
        for_none.setdefault(kind, []).extend(items)
    for number, question in [*numbered, (None, None)]:
        kinds = for_none if question is None else by_question.get(question.pk)
        if not kinds:
            continue
        groups.append(
            QuestionGroup(
                number=number,
                question=question,
                kinds=[
                    KindGroup(kind, label, kinds[kind])
                    for kind, label in FindingKind.choices
                    if kind in kinds
                ],
            )
        )
    return groups


def action_owner_candidates(session):
    """Who can own an action: users who listened in, or members of the session's
    organisations."""
    return User.objects.filter(is_active=True).filter(
        Exists(Listener.objects.filter(session=session, user=OuterRef("pk")))
        | Exists(Membership.objects.filter(user=OuterRef("pk"), organisation__sessions=session))
    )


# — changing the debrief —


@transaction.atomic
def save_answers(*, session, impact, act_on, base_version) -> Debrief:
    """Store the answers to the two debrief questions.

    `base_version` is the version the editor loaded ("" for none). When someone else saved
    other text since, nothing is overwritten (AnswersConflict with the stored state).
    """
    _require_debrief(session)
    debrief, created = Debrief.objects.select_for_update().get_or_create(
        session=session, defaults={"impact": impact, "act_on": act_on}
    )
    if created:
        privacy.check_object(debrief)
    if created or (debrief.impact, debrief.act_on) == (impact, act_on):
        return debrief
    if version_of(debrief) != base_version:
        raise AnswersConflict(debrief)
    debrief.impact, debrief.act_on = impact, act_on
    debrief.save(update_fields=["impact", "act_on", "updated_at"])
    privacy.check_object(debrief)
    return debrief


def _clean_name(name: str) -> str:
    return " ".join(name.split())


@transaction.atomic
def create_theme(*, session, name) -> tuple[Theme, bool]:
    """A theme at the session's theme home (theme_home); a name the debrief already offers is
    reused."""
    _require_debrief(session)
    name = _clean_name(name)
    if not name:
        raise DebriefRefused(_("Geef het thema een naam."))
    organisation = theme_organisation(session)
    if organisation is None:
        raise DebriefRefused(_("Dit gesprek hoort bij geen organisatie; kies die eerst."))
    offered = Theme.objects.for_session(session).filter(name__iexact=name)
    existing = offered.filter(organisation=organisation).first() or offered.order_by("pk").first()
    if existing is not None:
        return existing, False
    return Theme.objects.create(organisation=organisation, name=name), True


@transaction.atomic
def assign_theme(*, session, finding_ids, theme) -> int:
    """Put findings of this session under `theme` (None: take them out of their theme)."""
    _require_debrief(session)
    finding_ids = set(finding_ids)
    if not finding_ids:
        raise DebriefRefused(_("Kies eerst een of meer bevindingen."))
    if theme is not None and not Theme.objects.for_session(session).filter(pk=theme.pk).exists():
        raise DebriefRefused(_("Dit thema hoort niet bij dit gesprek."))
    findings = Finding.objects.filter(session=session, pk__in=finding_ids)
    if findings.count() != len(finding_ids):
        raise DebriefRefused(_("Een van de bevindingen hoort niet bij dit gesprek."))
    return findings.update(theme=theme, updated_at=timezone.now())


def set_blind_spot(*, session, finding, value: bool) -> Finding:
    _require_debrief(session)
    if finding.session_id != session.pk:
        raise DebriefRefused(_("Een van de bevindingen hoort niet bij dit gesprek."))
    finding.blind_spot = value
    finding.save(update_fields=["blind_spot", "updated_at"])
    return finding


def add_lesson(*, session, by, text) -> Lesson:
    _require_debrief(session)
    if not text.strip():
        raise DebriefRefused(_("Schrijf eerst de les op."))
    lesson = Lesson.objects.create(session=session, created_by=by, text=text.strip())
    privacy.check_object(lesson)
    return lesson


def delete_lesson(*, session, by, lesson) -> None:
    """Only the author takes back a lesson."""
    _require_debrief(session)
    if lesson.session_id != session.pk or not lesson.is_written_by(by.pk):
        raise DebriefRefused(_("U kunt alleen uw eigen lessen verwijderen."))
    lesson.delete()


def conclude_debrief(*, session, by) -> Debrief:
    """The coordinator concludes the debrief; that closes the session (read-only afterwards).

    The session row is locked first, so two coordinators clicking at once conclude once.
    """
    # Checked again here, not only by the task at the end of the meeting: the worker may not
    # have run yet, and nothing may become final unchecked. In a transaction of its own, so
    # the hits it finds stay for the reviewers when concluding is refused.
    with transaction.atomic():
        privacy.check_session(session.pk)
    with transaction.atomic():
        return _conclude(session=session, by=by)


def _conclude(*, session, by) -> Debrief:
    session = Session.objects.select_for_update().get(pk=session.pk)
    _require_debrief(session)
    privacy.require_no_open_hits(
        session, sources=privacy.REPORT_SOURCES, what=_("Het verslag van dit gesprek")
    )
    debrief, _created = Debrief.objects.get_or_create(session=session)
    debrief.concluded_at, debrief.concluded_by = timezone.now(), by
    debrief.save(update_fields=["concluded_at", "concluded_by", "updated_at"])
    session.close()
    return debrief


# — the feedback letter —


def letter_of(session) -> FeedbackLetter:
    letter = FeedbackLetter.objects.filter(session=session).select_related("finalised_by").first()
    return letter or FeedbackLetter(session=session)


def letter_actions(session):
    """Actions whose client-facing sentence goes into the letter: dropped ones promise nothing."""
    return session.actions.exclude(client_sentence="").exclude(status=ActionStatus.DROPPED)


def letter_sentences(session) -> list[str]:
    sentences = letter_actions(session).order_by("due_date", "pk")
    return [" ".join(s.split()) for s in sentences.values_list("client_sentence", flat=True)]


def letter_themes(session) -> list[str]:
    """Names of the themes the letter's actions answer: what "you told us about"."""
    themes = Theme.objects.filter(findings__actions__in=letter_actions(session))
    return list(themes.order_by("name").values_list("name", flat=True).distinct())


def _and_list(items) -> str:
    """ "a, b en c"."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {_('en')} {items[-1]}"


def _sentence(template: str, value: str) -> str:
    """`template` ("… %(value)s.") filled in, without a second full stop when the value ends
    a sentence itself ("Hoe gaat het?" gave "Hoe gaat het?.")."""
    value = " ".join(value.split())
    text = template % {"value": value}
    if value[-1:] in ".?!…" and text.endswith(f"{value}."):
        text = text[:-1]
    return text


def _contact_line(session) -> str:
    """Whom to ask about the letter: the facilitator, the clients' contact since the
    invitation, with an e-mail address when there is one."""
    facilitator = session.facilitator
    if facilitator is None:
        return _("Heeft u vragen over deze brief? Neem dan gerust contact met ons op.")
    name = str(facilitator)
    if facilitator.email:
        return _(
            "Heeft u vragen over deze brief? Neem dan contact op met %(name)s, e-mail %(email)s."
        ) % {"name": name, "email": facilitator.email}
    return _("Heeft u vragen over deze brief? Neem dan contact op met %(name)s.") % {"name": name}


def draft_letter(session, *, language=None) -> str:
    """The letter in plain Dutch (B1): thanks, what you told us, what we do with it.

    Written in `language` (a client's, spiegel/languages.py; the session's by default); it
    never names a client, only what the professionals wrote for clients in the actions'
    client-facing sentences, which stay as they were written.
    """
    with translation.override(language or session.language):
        organisations = [o.name for o in session.organisations.order_by("name")]
        sentences = letter_sentences(session)
        themes = letter_themes(session)
        lines = [_("Beste deelnemer,"), ""]
        if session.starts_at:
            when = formats.date_format(timezone.localtime(session.starts_at))
            lines.append(_("Op %(date)s deed u mee aan een spiegelgesprek.") % {"date": when})
        else:
            lines.append(_("U deed mee aan een spiegelgesprek."))
        if session.theme.strip():
            lines.append(_sentence(_("Het onderwerp was: %(value)s."), session.theme))
        lines += [
            _("Dank u wel dat u daaraan meedeed en dat u zo open vertelde over uw ervaringen."),
            "",
            _("U vertelde ons wat goed gaat en wat beter kan."),
        ]
        if themes:
            lines.append(
                _sentence(_("U vertelde onder andere over: %(value)s."), _and_list(themes))
            )
        lines += ["", _("Wat wij ermee doen:")]
        if sentences:
            lines += [f"- {sentence}" for sentence in sentences]
        else:
            lines.append(
                _("Wij werken nog aan de verbeteringen. U hoort later van ons wat wij ermee doen.")
            )
        lines += [
            "",
            _contact_line(session),
            "",
            _("Met vriendelijke groet,"),
            "",
            _and_list(organisations) or _("De organisatie"),
        ]
        return "\n".join(lines)


def _require_open_letter(session, letter):
    if session.status not in OVER:
        raise DebriefRefused(_("De brief volgt na het gesprek."))
    if letter.is_final:
        raise DebriefRefused(_("De brief is definitief en kan niet meer worden gewijzigd."))


def save_letter(*, session, text, finalise=False, by=None) -> FeedbackLetter:
    """Store the letter text and check it for personal data; with `finalise` it is frozen
    (who and when), unless the check left hits open: then the text is kept and the refusal
    says how many hits wait (two transactions, so the text is not lost with the refusal)."""
    with transaction.atomic():
        letter, created = FeedbackLetter.objects.select_for_update().get_or_create(session=session)
        _require_open_letter(session, letter)
        text = text.strip()
        if letter.text != text or created:
            letter.text = text
            letter.save(update_fields=["text", "updated_at"])
            privacy.check_object(letter)
    if not finalise:
        return letter
    with transaction.atomic():
        letter = FeedbackLetter.objects.select_for_update().get(pk=letter.pk)
        _require_open_letter(session, letter)
        if not letter.text:
            raise DebriefRefused(_("Een lege brief kan niet definitief worden."))
        privacy.require_no_open_hits(
            session, sources=(privacy.HitSource.LETTER,), what=_("De brief")
        )
        letter.finalised_at, letter.finalised_by = timezone.now(), by
        letter.save(update_fields=["finalised_at", "finalised_by", "updated_at"])
    return letter


@transaction.atomic
def redraft_letter(*, session) -> FeedbackLetter:
    """Throw away the edits and start again from the actions."""
    letter, _created = FeedbackLetter.objects.select_for_update().get_or_create(session=session)
    _require_open_letter(session, letter)
    letter.text = draft_letter(session)
    letter.save(update_fields=["text", "updated_at"])
    privacy.check_object(letter)
    return letter


@dataclass
class Addressee:
    member: PanelMember
    reason: str = ""  # why the letter does not go to this member; empty when it does
    name: str = ""  # the real name, only for those who may see contact details


NOT_TAKING_PART = {
    RecruitmentStatus.CANCELLED: _("afgemeld"),
    RecruitmentStatus.NO_SHOW: _("niet verschenen"),
}


def addressees(
    session, *, with_contacts=False, contact_shown=None
) -> tuple[list[Addressee], list[Addressee]]:
    """(recipients, excluded with the reason) in one query.

    Listeners' pages never load the contact table: whether a member has an e-mail address is
    an EXISTS, not the address itself. With contacts, `contact_shown(member)` (the policy's
    can_see_contacts_of) says whose names are shown.
    """
    members = session.panel_members.annotate(
        reachable=Exists(PanelMember.objects.reachable_for_feedback().filter(pk=OuterRef("pk"))),
        has_email=Exists(
            PanelMemberContact.objects.filter(panel_member=OuterRef("pk"), email__gt="")
        ),
    ).order_by("number")
    if with_contacts:
        members = members.select_related("contact")
    recipients, excluded = [], []
    for member in members:
        if member.status in NOT_TAKING_PART:
            reason = str(NOT_TAKING_PART[member.status])
        elif member.consent_withdrawn:
            reason = _("toestemming ingetrokken")
        elif not member.consent_feedback:
            reason = _("geen toestemming voor de brief")
        elif not member.has_email:
            reason = (
                _("contactgegevens gewist na de bewaartermijn")
                if session.contacts_purged_at
                else _("geen e-mailadres")
            )
        elif not member.reachable:
            reason = _("niet bereikbaar")
        else:
            reason = ""
        shown = with_contacts and (contact_shown is None or contact_shown(member))
        contact = getattr(member, "contact", None) if shown else None
        addressee = Addressee(member, reason, contact.name if contact else "")
        (excluded if reason else recipients).append(addressee)
    return recipients, excluded
