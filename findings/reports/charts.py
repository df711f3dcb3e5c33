"""Charts as server-rendered SVG: no JavaScript, no chart library, the same markup in pages and
in PDFs (WeasyPrint draws inline SVG).

Accessibility: every chart is one image to assistive technology (`role="img"`) named by its
`<title>` and described by a `<desc>` that spells out the numbers; pages also show the same
numbers in a table beside the chart. Colour is never the only carrier: every bar has its value
written next to it (or inside a segment), and stacked bars have a legend. The colours keep at
least 3:1 contrast against white (WCAG 1.4.11) and 4.5:1 against the white text inside them.

Only presentation attributes are used, never `style`, so the Content-Security-Policy holds.
"""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

PRIMARY = "#1d4e6e"
POSITIVE = "#146c2e"
IMPROVEMENT = "#9c4300"
NEUTRAL = "#595f64"
TEXT = "#1f2328"
AXIS = "#6c757d"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"

WIDTH = 640
LABEL_WIDTH = 232  # right edge of the labels: room for LABEL_CHARS at 13px
BAR_X = 240
VALUE_ROOM = 48  # room right of the longest bar for its number
ROW = 30
BAR = 20
LABEL_CHARS = 28
MIN_INSIDE = 24  # narrowest segment that still gets its number inside


@dataclass(frozen=True)
class Series:
    name: str
    colour: str


def _short(label: str, limit: int = LABEL_CHARS) -> str:
    label = " ".join(str(label).split())
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _scale(largest: int) -> float:
    return (WIDTH - BAR_X - VALUE_ROOM) / largest if largest > 0 else 0.0


def _svg(chart_id: str, title: str, description: str, height: int, body: SafeString) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{id}" viewBox="0 0 {w} {h}" '
        'width="{w}" height="{h}" role="img" aria-labelledby="{id}-title" '
        'aria-describedby="{id}-desc" font-family="{font}" font-size="13" fill="{text}">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
        id=chart_id,
        w=WIDTH,
        h=height,
        font=FONT,
        text=TEXT,
        title=title,
        desc=description,
        body=body,
    )


def _empty(chart_id: str, title: str) -> SafeString:
    message = _("Geen gegevens in deze periode.")
    body = format_html('<text x="0" y="24">{}</text>', message)
    return _svg(chart_id, title, message, 36, body)


def _label(y: float, text: str) -> SafeString:
    return format_html(
        '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>',
        LABEL_WIDTH,
        y,
        _short(text),
    )


def _axis(top: int, bottom: int) -> SafeString:
    return format_html(
        '<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" stroke="{c}" stroke-width="1"/>',
        x=BAR_X,
        top=top,
        bottom=bottom,
        c=AXIS,
    )


def bar_chart(
    rows, *, chart_id: str, title: str, unit: str = "", colour: str = PRIMARY
) -> SafeString:
    """Horizontal bars: `rows` is a list of (label, value); `unit` follows each number in the
    description ("3 gesprekken")."""
    rows = [(str(label), int(value)) for label, value in rows]
    if not rows:
        return _empty(chart_id, title)
    scale = _scale(max(value for _label_, value in rows))
    top = 8
    parts = []
    for index, (label, value) in enumerate(rows):
        y = top + index * ROW
        middle = y + BAR / 2
        width = round(value * scale, 1)
        parts.append(
            format_html(
                '<g>{label}<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}"/>'
                '<text x="{vx}" y="{my}" dominant-baseline="middle">{value}</text></g>',
                label=_label(middle, label),
                x=BAR_X,
                y=y,
                w=width,
                h=BAR,
                fill=colour,
                vx=round(BAR_X + width + 6, 1),
                my=middle,
                value=value,
            )
        )
    bottom = top + len(rows) * ROW - (ROW - BAR)
    height = bottom + 8
    description = "; ".join(f"{label}: {value} {unit}".strip() for label, value in rows)
    body = mark_safe(_axis(top - 4, bottom + 4) + "".join(parts))  # noqa: S308 - built escaped
    return _svg(chart_id, title, description, height, body)


def stacked_bar_chart(rows, *, chart_id: str, title: str, series) -> SafeString:
    """Horizontal stacked bars: `rows` is a list of (label, [value per series]); `series` a list
    of Series (name, colour), drawn left to right in that order, with a legend on top."""
    series = list(series)
    rows = [(str(label), [int(v) for v in values]) for label, values in rows]
    if not rows:
        return _empty(chart_id, title)
    scale = _scale(max(sum(values) for _label_, values in rows))
    legend = format_html_join(
        "",
        '<g><rect x="{}" y="0" width="14" height="14" fill="{}"/>'
        '<text x="{}" y="7" dominant-baseline="middle">{}</text></g>',
        (
            (BAR_X + index * 150, s.colour, BAR_X + index * 150 + 20, _short(s.name, 18))
            for index, s in enumerate(series)
        ),
    )
    top = 30
    parts = []
    for index, (label, values) in enumerate(rows):
        y = top + index * ROW
        middle = y + BAR / 2
        x = float(BAR_X)
        segments = []
        for s, value in zip(series, values, strict=True):
            width = round(value * scale, 1)
            if width <= 0:
                continue
            segments.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#ffffff" '
                    'stroke-width="1"/>',
                    round(x, 1),
                    y,
                    width,
                    BAR,
                    s.colour,
                )
            )
            if width >= MIN_INSIDE and len([v for v in values if v]) > 1:
                segments.append(
                    format_html(
                        '<text x="{}" y="{}" text-anchor="middle" dominant-baseline="middle" '
                        'fill="#ffffff">{}</text>',
                        round(x + width / 2, 1),
                        middle,
                        value,
                    )
                )
            x += width
        # A number inside a segment only when there are several: one is the total already.
        parts.append(
            format_html(
                '<g>{}{}<text x="{}" y="{}" dominant-baseline="middle">{}</text></g>',
                _label(middle, label),
                mark_safe("".join(segments)),  # noqa: S308 - built escaped
                round(x + 6, 1),
                middle,
                sum(values),
            )
        )
    bottom = top + len(rows) * ROW - (ROW - BAR)
    height = bottom + 8
    description = "; ".join(
        f"{label}: "
        + ", ".join(f"{s.name} {value}" for s, value in zip(series, values, strict=True))
        for label, values in rows
    )
    body = mark_safe(legend + _axis(top - 4, bottom + 4) + "".join(parts))  # noqa: S308
    return _svg(chart_id, title, description, height, body)
