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
