"""Checks every PDF test uses: text, tags, language, pictures of the pages, a clean log."""

import io
import logging
import subprocess
from contextlib import contextmanager

from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_info(data: bytes) -> dict:
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    return {
        "lang": str(root.get("/Lang", "")),
        "tagged": "/StructTreeRoot" in root,
        "marked": bool(root.get("/MarkInfo", {}).get("/Marked")),
        "title": reader.metadata.title if reader.metadata else None,
        "pages": len(reader.pages),
    }


def assert_accessible(data: bytes, *, lang="nl"):
    info = pdf_info(data)
    assert info["lang"] == lang, info
    assert info["tagged"] and info["marked"], info
    assert info["title"], info


def page_images(data: bytes, tmp_path, *, dpi=40) -> list:
    """Render every page to PNG with pdftoppm; return the paths."""
    source = tmp_path / "document.pdf"
    source.write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", str(source), str(tmp_path / "page")], check=True
    )
    return sorted(tmp_path.glob("page*.png"))


def assert_pages_not_blank(data: bytes, tmp_path):
    """Every page has ink on it: a PNG of a blank page has almost no non-white pixels."""
    from PIL import Image

    paths = page_images(data, tmp_path)
    assert len(paths) == pdf_info(data)["pages"]
    for path in paths:
        image = Image.open(path).convert("L")
        dark = sum(image.histogram()[:200])
        assert dark > 50, f"{path.name} looks blank"


@contextmanager
def weasyprint_log_must_stay_clean():
    """Fail on any WeasyPrint warning or error (a missing font, a refused URL, bad CSS)."""
    records = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Collect(level=logging.WARNING)
    loggers = [logging.getLogger("weasyprint"), logging.getLogger("spiegel.pdf")]
    for log in loggers:
        log.addHandler(handler)
    try:
        yield records
    finally:
        for log in loggers:
            log.removeHandler(handler)
    messages = [r.getMessage() for r in records]
    assert not messages, messages


# The fonts Spiegel ships for PDFs (static/print/fonts), as their PDF names say them.
BUNDLED_FONTS = ("Source-Sans-3", "Noto-Naskh-Arabic", "Noto-Emoji")


def pdf_fonts(data: bytes) -> set[str]:
    """The names of the fonts the PDF embeds, without the subset prefix ("ABCDEF+")."""
    reader = PdfReader(io.BytesIO(data))
    names = set()
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            base = str(ref.get_object().get("/BaseFont", ""))
            names.add(base.lstrip("/").split("+", 1)[-1].rstrip(","))
    return names


def assert_only_bundled_fonts(data: bytes):
    """Every glyph came from a font we ship: a character none of them has would make the
    renderer fall back to whatever the server has (or print .notdef, an empty box)."""
    fonts = pdf_fonts(data)
    strangers = {f for f in fonts if not f.startswith(BUNDLED_FONTS)}
    assert not strangers, f"system fonts in the PDF: {strangers}"
    return fonts
