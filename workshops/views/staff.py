"""The staff's pages of a workshop: preparing it, running it, and the summary."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sessions.constants import Face
from sessions.services.evaluation import qr_svg
from spiegel.forms import MAX_PK
from spiegel.pdf import pdf_response, render_pdf
from workshops import services
from workshops.access import (
    get_workshop_for,
    organisations_for_new_workshop,
    require_may_create,
)
from workshops.forms import CaseForm, LinksForm, RoleForm, RoundForm, WorkshopForm
from workshops.models import Workshop

# The three kinds of item a workshop holds, edited with one set of plain forms.
ITEMS = {
    "roles": RoleForm,
    "cases": CaseForm,
    "rounds": RoundForm,
}


@require_safe
def workshop_list(request):
    workshops = (
        Workshop.objects.managed_by(request.user)
        .select_related("organisation")
        .annotate(participant_count=Count("participants"))
    )
    return render(
        request,
        "workshops/workshop_list.html",
        {
            "workshops": workshops,
            "can_create": organisations_for_new_workshop(request.user).exists(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def workshop_create(request):
    require_may_create(request.user)
    form = WorkshopForm(
        request.POST if request.method == "POST" else None,
        organisations=organisations_for_new_workshop(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        workshop = services.create_workshop(
            organisation=data["organisation"],
            title=data["title"],
            facilitator=request.user,
            starts_at=data["starts_at"],
            online_url=data["online_url"],
        )
        messages.success(
            request, _("De workshop is gemaakt, met drie rollen, een casus en drie rondes.")
        )
        return redirect("workshop_detail", workshop.pk)
    return render(request, "workshops/workshop_form.html", {"form": form})


@require_safe
def workshop_detail(request, pk):
    workshop = get_workshop_for(request.user, pk)
    return render(
        request,
        "workshops/workshop_detail.html",
        {
            "workshop": workshop,
            "roles": workshop.roles.annotate(count=Count("participants")),
            "cases": workshop.cases.all(),
            "rounds": workshop.rounds.all(),
            "participant_count": workshop.participants.count(),
            "forms": {kind: form_class(prefix=kind) for kind, form_class in ITEMS.items()},
            "links_form": LinksForm(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def workshop_edit(request, pk):
    workshop = get_workshop_for(request.user, pk)
    if request.method == "POST":
        workshop.access.require("edit")
    form = WorkshopForm(request.POST if request.method == "POST" else None, instance=workshop)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Opgeslagen."))
        return redirect("workshop_detail", workshop.pk)
    return render(request, "workshops/workshop_form.html", {"form": form, "workshop": workshop})


def _items(workshop, kind):
    if kind not in ITEMS:
        raise Http404
    return getattr(workshop, kind).all()


@require_POST
def workshop_item_add(request, pk, kind):
    workshop = get_workshop_for(request.user, pk, "edit")
    items = _items(workshop, kind)
    form = ITEMS[kind](request.POST, prefix=kind)
    form.instance.workshop = workshop
    if form.is_valid():
        item = form.save(commit=False)
        item.position = services.next_position(items)
        item.save()
        messages.success(request, _("Toegevoegd: %(name)s.") % {"name": item})
        return redirect(reverse("workshop_detail", args=[workshop.pk]) + f"#{kind}")
    return render(
        request,
        "workshops/item_form.html",
        {"workshop": workshop, "form": form, "kind": kind, "item": None},
        status=200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def workshop_item_edit(request, pk, kind, item_pk):
    workshop = get_workshop_for(request.user, pk)
    item = _item(workshop, kind, item_pk)
    if request.method == "POST":
        workshop.access.require("edit")
    form = ITEMS[kind](request.POST if request.method == "POST" else None, instance=item)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Opgeslagen."))
        return redirect(reverse("workshop_detail", args=[workshop.pk]) + f"#{kind}")
    return render(
        request,
        "workshops/item_form.html",
        {"workshop": workshop, "form": form, "kind": kind, "item": item},
    )


def _item(workshop, kind, item_pk):
    if not 0 < item_pk <= MAX_PK:
        raise Http404
    item = _items(workshop, kind).filter(pk=item_pk).first()
    if item is None:
        raise Http404
    return item


@require_POST
def workshop_item_delete(request, pk, kind, item_pk):
    workshop = get_workshop_for(request.user, pk, "edit")
    item = _item(workshop, kind, item_pk)
    try:
        services.delete_item(workshop=workshop, item=item)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Verwijderd: %(name)s.") % {"name": item})
    return redirect(reverse("workshop_detail", args=[workshop.pk]) + f"#{kind}")


@require_http_methods(["GET", "HEAD", "POST"])
def workshop_links(request, pk):
    """The personal links, each with a copyable address and a QR code; POST adds some."""
    workshop = get_workshop_for(request.user, pk)
    form = LinksForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        workshop.access.require("edit")
        if form.is_valid():
            try:
                made = services.add_links(workshop=workshop, count=form.cleaned_data["count"])
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(
                    request,
                    ngettext("%(n)s link gemaakt.", "%(n)s links gemaakt.", len(made))
                    % {"n": len(made)},
                )
            return redirect("workshop_links", workshop.pk)
    cards = [
        {
            "participant": participant,
            "url": (
                url := request.build_absolute_uri(
                    reverse("workshop_play", args=[participant.token])
                )
            ),
            "qr": qr_svg(url, label=_("QR-code van link %(number)s") % {"number": number}),
            "number": number,
        }
        for number, participant in enumerate(workshop.participants.select_related("role"), 1)
    ]
    return render(
        request,
        "workshops/links.html",
        {"workshop": workshop, "form": form, "cards": cards},
    )


@require_POST
def workshop_move(request, pk, action):
    workshop = get_workshop_for(request.user, pk, "run")
    try:
        workshop = services.move(workshop=workshop, action=action)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        if workshop.is_closed:
            messages.success(request, _("De workshop is afgesloten."))
        elif workshop.current_round:
            messages.success(request, _("Nu bezig: %(round)s.") % {"round": workshop.current_round})
    return redirect("workshop_detail", workshop.pk)


@require_safe
def workshop_summary(request, pk):
    workshop = get_workshop_for(request.user, pk, "see_summary")
    return render(
        request,
        "workshops/summary.html",
        {"workshop": workshop, "summary": services.summarize(workshop)},
    )


@require_safe
def workshop_summary_pdf(request, pk):
    """The summary as a report to hand round after the workshop: the roles, the rounds side by
    side and what the participants wrote, without names (there are none to leave out)."""
    workshop = get_workshop_for(request.user, pk, "see_summary")
    context = {
        "workshop": workshop,
        "summary": services.summarize(workshop),
        "faces": Face.choices,
        "made_on": timezone.localdate(),
    }
    data = render_pdf("reports/workshop_summary.html", context, language=translation.get_language())
    return pdf_response(data, f"workshop-{workshop.pk}-{slugify(workshop.title)[:40]}.pdf")
