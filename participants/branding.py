"""An organisation's own look: its colours (checked for contrast) and its logo (checked to be
a harmless PNG or SVG of limited size). The token stylesheet built from them overrides the
defaults of static/css/tokens.css on the organisation's pages and its clients' pages."""

import base64
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
WHITE = "#ffffff"
TEXT_CONTRAST = 4.5  # WCAG 1.4.3: text and its background
BORDER_CONTRAST = 3.0  # WCAG 1.4.11: a control's edge and what is behind it
LOGO_MAX_BYTES = 200 * 1024
LOGO_MAX_PIXELS = 2000
PNG = "image/png"
SVG = "image/svg+xml"


def luminance(colour: str) -> float:
    def channel(hex2):
        v = int(hex2, 16) / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two #rrggbb colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def check_colour(colour: str, *, minimum: float, against: str = WHITE, what: str) -> str:
    """`colour` in lower case if it has `minimum` contrast against `against`, else a Dutch
    ValidationError that names the ratio found and the one needed."""
    colour = (colour or "").strip()
    if not HEX.match(colour):
        raise ValidationError(_("Geef een kleur als #rrggbb, bijvoorbeeld #1d4e6e."), code="hex")
    ratio = contrast(colour, against)
    if ratio < minimum:
        raise ValidationError(
            _(
                "%(what)s heeft te weinig contrast met wit: %(found)s:1, minstens %(needed)s:1 "
                "is nodig (WCAG). Kies een donkerdere kleur."
            )
            % {
                "what": what,
                "found": f"{ratio:.1f}".replace(".", ","),
                "needed": f"{minimum:g}".replace(".", ","),
            },
            code="contrast",
        )
    return colour.lower()


def darker(colour: str, factor: float = 0.8) -> str:
    """The same hue, darker: the hover state of a button."""
    return "#" + "".join(f"{int(int(colour[i : i + 2], 16) * factor):02x}" for i in (1, 3, 5))


# What an SVG logo may not hold: scripts, event handlers, foreign content, links that fetch.
SVG_FORBIDDEN_TAGS = {"script", "foreignobject", "iframe", "embed", "object", "use", "image"}
SVG_URL = re.compile(r"url\s*\(|javascript:|data:|https?:|//", re.IGNORECASE)


def check_logo(upload) -> tuple[bytes, str]:
    """(bytes, content type) of an uploaded logo, or a Dutch ValidationError."""
    if upload.size > LOGO_MAX_BYTES:
        raise ValidationError(
            _("Het logo is te groot: hoogstens %(kb)s kB.") % {"kb": LOGO_MAX_BYTES // 1024},
            code="size",
        )
    data = upload.read()
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _check_png(data), PNG
    head = data[:512].lstrip().lower()
    if head.startswith((b"<svg", b"<?xml")) and b"<svg" in data[:4096].lower():
        return _check_svg(data), SVG
    raise ValidationError(_("Het logo moet een PNG- of SVG-bestand zijn."), code="type")


def _check_png(data: bytes) -> bytes:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            width, height = image.size
    except Exception as error:
        raise ValidationError(_("Dit PNG-bestand is beschadigd."), code="png") from error
    if max(width, height) > LOGO_MAX_PIXELS:
        raise ValidationError(
            _("Het logo is te groot: hoogstens %(px)s pixels breed en hoog.")
            % {"px": LOGO_MAX_PIXELS},
            code="pixels",
        )
    return data


def _check_svg(data: bytes) -> bytes:
    if b"<!doctype" in data.lower() or b"<!entity" in data.lower():
        raise ValidationError(_("Dit SVG-bestand mag geen DOCTYPE of entities bevatten."))
    try:
        # DOCTYPE and entities (the XML attacks: billion laughs, external entities) are
        # refused above, before parsing.
        root = ET.fromstring(data)  # noqa: S314
    except ET.ParseError as error:
        raise ValidationError(_("Dit SVG-bestand is geen geldige XML."), code="svg") from error
    if root.tag.rsplit("}", 1)[-1].lower() != "svg":
        raise ValidationError(_("Het logo moet een PNG- of SVG-bestand zijn."), code="type")
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1].lower()
        if tag in SVG_FORBIDDEN_TAGS:
            raise ValidationError(
                _("Een SVG-logo mag geen %(tag)s bevatten.") % {"tag": tag}, code="svg-content"
            )
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            if local.startswith("on") or local == "href" or SVG_URL.search(value):
                raise ValidationError(
                    _("Een SVG-logo mag geen scripts of links bevatten."), code="svg-content"
                )
        if tag == "style" and SVG_URL.search(element.text or ""):
            raise ValidationError(
                _("Een SVG-logo mag geen scripts of links bevatten."), code="svg-content"
            )
    return data


def token_stylesheet(*, primary: str, link: str, form_border: str) -> str:
    """The organisation's token stylesheet: only what it sets, over the defaults."""
    lines = []
    if primary:
        lines += [
            f"--spiegel-primary: {primary};",
            f"--spiegel-primary-hover: {darker(primary)};",
        ]
    if link:
        lines.append(f"--spiegel-link: {link};")
    if form_border:
        lines.append(f"--spiegel-form-border: {form_border};")
    body = "\n  ".join(lines)
    return f".voorbeeld-theme {{\n  {body}\n}}\n" if lines else ""


@dataclass(frozen=True)
class PageLook:
    """The look a session's pages wear (templates/base.html)."""

    organisation: int | None  # whose token stylesheet the page loads
    logo: int | None  # whose logo the navigation bar shows
    logo_name: str


def page_look(organisations) -> PageLook:
    """Of a session's organisations, the first by key with colours of its own and the first
    with a logo (organisations loaded with their logo, without its data)."""
    organisations = sorted(organisations, key=lambda organisation: organisation.pk)
    coloured = next((o for o in organisations if o.has_own_colours), None)
    logo = next((o for o in organisations if o.logo_or_none is not None), None)
    return PageLook(
        organisation=coloured.pk if coloured else None,
        logo=logo.pk if logo else None,
        logo_name=logo.name if logo else "",
    )


@dataclass(frozen=True)
class PrintLook:
    """An organisation's look in a PDF (templates/reports/base.html): its main colour for the
    headings and rules, and its logo as a `data:` address (the PDF renderer fetches nothing
    else, spiegel/pdf.py)."""

    name: str
    colour: str  # "#rrggbb", checked for 4.5:1 on white when saved; "" for Spiegel's own
    logo: str  # "data:image/png;base64,…" or ""
    logo_name: str


def print_look(organisations) -> PrintLook | None:
    """The look a document of these organisations wears, chosen as their pages choose it
    (page_look): the first, by key, with a colour of its own and the first with a logo. One
    query (the logo); None when none of them has a look of its own."""
    from participants.models import OrganisationLogo

    organisations = sorted(organisations, key=lambda organisation: organisation.pk)
    coloured = next((o for o in organisations if o.brand_color), None)
    logo = (
        OrganisationLogo.objects.filter(organisation__in=organisations)
        .select_related("organisation")
        .order_by("organisation_id")
        .first()
        if organisations
        else None
    )
    if coloured is None and logo is None:
        return None
    return PrintLook(
        name=(coloured or logo.organisation).name,
        colour=coloured.brand_color if coloured else "",
        logo=(
            f"data:{logo.content_type};base64,{base64.b64encode(bytes(logo.data)).decode()}"
            if logo
            else ""
        ),
        logo_name=logo.organisation.name if logo else "",
    )
