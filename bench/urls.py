"""The app's URLs plus two views of our own: a trivial view, the floor every request is
compared with, and the privacy guard's check of the measuring set (bench/workers.py)."""

import functools
import json
import os
import time
from pathlib import Path

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.urls import include, path

NOTES = Path(__file__).resolve().parent.parent / "tests" / "data" / "privacy_notes.jsonl"


@functools.cache
def _notes() -> list[str]:
    return [json.loads(line)["text"] for line in NOTES.read_text(encoding="utf-8").splitlines()]


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
def privacy_check(request):
    """Run the privacy guard over the measuring set's notes in this process: which process
    answered and how long the check took (the first one in a worker includes loading Deduce
    when the worker has to)."""
    from findings import privacy

    texts = _notes()
    start = time.perf_counter()
    hits = sum(len(privacy.detect(text)) for text in texts)
    seconds = time.perf_counter() - start
    return JsonResponse({"pid": os.getpid(), "seconds": seconds, "texts": len(texts), "hits": hits})


urlpatterns = [
    path("bench/trivial/", trivial),
    path("bench/privacy/", privacy_check),
    path("", include("spiegel.urls")),
]
