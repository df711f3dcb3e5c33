"""The participants' evaluation: personal links, the answers, and the per-session summary.

Who gets a link (issue 3, item 5): every panel member who attended the meeting and every
listener who attended. Until the check-in has marked anyone as attended, the confirmed panel
members stand in for them; a listener whose attendance is unknown (never checked in) gets a
link too, only a listener marked absent does not. A panel member who withdrew consent gets
none: withdrawal ends every contact. Making the links is idempotent: one link per person,
whatever the number of clicks, and double clicks racing each other meet the unique index.

Who sees what: the facilitators and the coordinators of the session see the summary and the
sheet with the links (DESIGN §6 has no row for it; like client contact details it is
"facilitator and coordinator"). Listeners get a 403 with the reason, outsiders a 404.
The summary never says who answered what, nor who answered at all: counts, averages, the
spread over the faces and the comments, in an order unrelated to who wrote them or when.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from participants.constants import RecruitmentStatus
from sessions.constants import HELD, Face
from sessions.models import Evaluation

# The four questions, as model fields in the order of the form. The summary names them by the
# fields' verbose names, the very questions the form asks.
QUESTION_FIELDS = ("experience", "safety", "enough_time", "again")
# Links can be made from the end of the meeting on (while live, so they can be handed out
# before people leave the table).
LINK_STATUSES = HELD


class AlreadyAnswered(Exception):
    """The link was used already: one response per link."""


def question_label(name) -> str:
    return str(Evaluation._meta.get_field(name).verbose_name)


def links_blocker(session) -> str:
    """Why evaluation links cannot be made now, or an empty string."""
    if session.status in LINK_STATUSES:
        return ""
    return _(
        "Evaluatielinks maakt u aan het eind van het gesprek: zodra het gesprek bezig is of "
        "voorbij is."
    )


def public_url(evaluation) -> str:
    """The personal link, absolute, for the sheet and for mail."""
    return settings.SITE_URL + reverse("evaluation_form", args=[evaluation.token])


def public_url_parts(evaluation) -> tuple[str, str]:
    """The link as (address up to the token, token and the rest): a printed link may break
    between the two, never inside the token someone has to type over."""
    url = public_url(evaluation)
    head, token, tail = url.rpartition(evaluation.token)
    return head, token + tail


# — making the links —


def invited_panel_members(session):
    members = session.panel_members.filter(consent_withdrawn_at__isnull=True)
    attended = members.filter(status=RecruitmentStatus.ATTENDED)
    if attended.exists():
        return attended
    return members.filter(status=RecruitmentStatus.CONFIRMED)


def invited_listeners(session):
    return session.listeners.exclude(attended=False)


@dataclass
class LinksResult:
    created: int
    total: int


@transaction.atomic
def create_links(*, session) -> LinksResult:
    """One evaluation link per participant who attended; existing links stay as they are.

    Raises ValidationError (in Dutch) before the meeting. A constant number of queries.
    """
    blocker = links_blocker(session)
    if blocker:
        raise ValidationError(blocker)
    before = session.evaluations.count()
    members = invited_panel_members(session).filter(evaluation__isnull=True)
    listeners = invited_listeners(session).filter(evaluation__isnull=True)
    new = [
        *(Evaluation(session=session, panel_member_id=pk) for (pk,) in members.values_list("pk")),
        *(Evaluation(session=session, listener_id=pk) for (pk,) in listeners.values_list("pk")),
    ]
    # A second click racing this one hits the one-to-one's unique index; skip, don't fail.
    Evaluation.objects.bulk_create(new, ignore_conflicts=True)
    total = session.evaluations.count()
    return LinksResult(created=total - before, total=total)


def sheet_links(session):
    """The links with what may lie on the table: a pseudonym or a listener's name.

    Loads panel members without their contact details, so no real name can leak in.
    """
    evaluations = list(session.evaluations.select_related("panel_member", "listener"))
    clients = [e for e in evaluations if e.panel_member_id]
    listeners = [e for e in evaluations if e.listener_id]
    clients.sort(key=lambda e: e.panel_member.number)
    listeners.sort(key=lambda e: (e.listener.name.casefold(), e.pk))
    return [
        SheetCard(
            evaluation=e,
            label=e.panel_member.pseudonym if e.panel_member_id else e.listener.name,
            is_client=bool(e.panel_member_id),
            url=public_url(e),
        )
        for e in clients + listeners
    ]


@dataclass
class SheetCard:
    evaluation: Evaluation
    label: str
    is_client: bool
    url: str

    @property
    def url_parts(self) -> tuple[str, str]:
        return public_url_parts(self.evaluation)

    @property
    def qr_svg(self) -> str:
        return qr_svg(self.url, label=_("QR-code voor %(name)s") % {"name": self.label})


def qr_svg(data: str, *, label: str) -> str:
    """The QR code of `data` as inline <svg> markup, safe under the Content-Security-Policy.

    qrcode's path image has no style attribute, but it has a fixed id (which would repeat on
    a sheet with many codes) and a size in millimetres; we keep only the viewBox and the
    path, and name the image for screen readers.
    """
    image = qrcode.make(
        data,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=4,
    )
    root = image.get_image()
    (path,) = list(root)
    viewbox = root.get("viewBox")
    return mark_safe(  # noqa: S308 - built from qrcode's numbers and an escaped label
        f'<svg class="qr-code" xmlns="http://www.w3.org/2000/svg" viewBox="{escape(viewbox)}" '
        f'role="img" aria-label="{escape(label)}" focusable="false">'
        f'<path d="{escape(path.get("d"))}" fill="#000"/></svg>'
    )


# — answering —


@transaction.atomic
def submit_answers(*, evaluation, answers: dict, comment: str):
    """Store the one response of a link. The UPDATE only matches an unanswered link, so two
    tabs or a double click store the first response and refuse the second."""
    values = {name: answers.get(name) for name in QUESTION_FIELDS}
    now = timezone.now()
    updated = Evaluation.objects.filter(pk=evaluation.pk, responded_at__isnull=True).update(
        **values, comment=comment, responded_at=now
    )
    if not updated:
        raise AlreadyAnswered
    for name, value in values.items():
        setattr(evaluation, name, value)
    evaluation.comment, evaluation.responded_at = comment, now
    return evaluation


# — the summary —


def one_decimal(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class FaceCount:
    face: int
    label: str
    count: int


@dataclass
class QuestionSummary:
    name: str
    question: str
    count: int  # answers (a question may be skipped)
    average: Decimal | None  # one decimal, None without answers
    faces: list[FaceCount]


@dataclass
class GroupSummary:
    links: int = 0
    answered: int = 0
    questions: list[QuestionSummary] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


def _summarize(rows) -> GroupSummary:
    answered = [row for row in rows if row["responded_at"] is not None]
    group = GroupSummary(links=len(rows), answered=len(answered))
    for name in QUESTION_FIELDS:
        values = [row[name] for row in answered if row[name] is not None]
        faces = [FaceCount(face.value, str(face.label), values.count(face.value)) for face in Face]
        average = one_decimal(Decimal(sum(values)) / len(values)) if values else None
        group.questions.append(
            QuestionSummary(name, question_label(name), len(values), average, faces)
        )
    # Ordered by the random token: stable between visits, unrelated to the writer or the time.
    group.comments = [
        row["comment"] for row in sorted(answered, key=lambda r: r["token"]) if row["comment"]
    ]
    return group


def summarize(session) -> dict[str, GroupSummary]:
    """Separate summaries for clients and listeners, from one query without any name."""
    rows = list(
        session.evaluations.values(
            "panel_member_id", "token", "responded_at", "comment", *QUESTION_FIELDS
        )
    )
    return {
        "clients": _summarize([r for r in rows if r["panel_member_id"] is not None]),
        "listeners": _summarize([r for r in rows if r["panel_member_id"] is None]),
    }
