"""The privacy guard's detector: where a text names a person, place, address, date, phone
number, e-mail address, BSN or institution.

Runs on this machine only. `deduce` (pattern and word-list based, Dutch) does most of the work;
our own patterns sit beside it where it misses what mirror-meeting notes hold (Dutch mobile
and landline numbers in any spacing, BSN by the eleven-test, dates without a year, names after
"mevrouw", "juf" or "consulent"). Nothing here touches the database: `detect(text)` returns
spans, `findings.services.privacy` stores them.

Deduce's lookup tables are built once per install (minutes; `python -m findings.privacy --warm`
in the Makefile's install step) and loaded once per process (seconds), hence the lazy
module-level instance.
"""

import gc
import re
import sys
import threading
from dataclasses import dataclass

NAME = "name"
PLACE = "place"
ADDRESS = "address"
DATE = "date"
PHONE = "phone"
EMAIL = "email"
BSN = "bsn"
INSTITUTION = "institution"

KINDS = (NAME, PLACE, ADDRESS, DATE, PHONE, EMAIL, BSN, INSTITUTION)

# The neutral tag a hit is replaced by (Dutch, as the texts are Dutch).
TAGS = {
    NAME: "[naam]",
    PLACE: "[plaats]",
    ADDRESS: "[adres]",
    DATE: "[datum]",
    PHONE: "[telefoonnummer]",
    EMAIL: "[e-mail]",
    BSN: "[BSN]",
    INSTITUTION: "[instelling]",
}

# When two detections overlap, the longer wins; on equal length the more specific kind.
_PRIORITY = {BSN: 0, EMAIL: 1, PHONE: 2, ADDRESS: 3, DATE: 4, INSTITUTION: 5, NAME: 6, PLACE: 7}


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int
    kind: str

    def text_in(self, text: str) -> str:
        return text[self.start : self.end]


# — deduce —

_deduce = None
_lock = threading.Lock()


def deduce_instance():
    """The one Deduce of this process, made on first use (loading takes seconds).

    Its word lists are ~4.6 million Python objects that live as long as the process. Left to
    the cyclic garbage collector, every full collection afterwards walks all of them (~2 s of
    CPU on our machines, in whatever request or PDF render happens to trigger it), so they
    are moved to the permanent generation once loaded (`gc.freeze`), after a collection so no
    garbage is frozen with them.
    """
    global _deduce
    if _deduce is None:
        with _lock:
            if _deduce is None:
                from deduce import Deduce

                _deduce = Deduce()
                gc.collect()
                gc.freeze()
    return _deduce


_STREET = re.compile(
    r"(straat|weg|laan|plein|gracht|kade|singel|dijk|pad|hof|steeg|dreef|plantsoen|markt)\b",
    re.IGNORECASE,
)


def _deduce_kind(tag: str, text: str) -> str | None:
    tag = tag.lower()
    if "bsn" in tag:
        return BSN
    if "email" in tag:
        return EMAIL
    if "telefoon" in tag:
        return PHONE
    if "datum" in tag:
        return DATE
    if "instelling" in tag or "ziekenhuis" in tag:
        return INSTITUTION
    if "straat" in tag or "huisnummer" in tag or "postcode" in tag:
        return ADDRESS
    if "locatie" in tag or "woonplaats" in tag or "plaats" in tag:
        return ADDRESS if (_STREET.search(text) or any(c.isdigit() for c in text)) else PLACE
    if "naam" in tag or "persoon" in tag or "patient" in tag or "initia" in tag:
        return NAME
    return None  # age, url, other ids: not what the guard looks for


def _from_deduce(text: str) -> list[Span]:
    document = deduce_instance().deidentify(text, disabled={"age", "url"})
    spans = []
    for annotation in document.annotations:
        kind = _deduce_kind(annotation.tag, annotation.text)
        if kind is not None:
            spans.append(Span(annotation.start_char, annotation.end_char, kind))
    return spans


# — our own patterns —

_SEP = r"[\s.-]?"
PHONE_RE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)31" + _SEP + r"(?:\(0\))?" + _SEP + r"|0)"
    r"(?:6" + _SEP + r"(?:\d" + _SEP + r"){7}\d"  # mobile: 06 + 8 digits
    r"|[1-9](?:\d" + _SEP + r"|" + _SEP + r"\d){7,8}(?<=\d)"  # landline: 0 + 9 digits
    r"|[89]00" + _SEP + r"(?:\d" + _SEP + r"){3,6}\d)(?!\d)"  # 0800 / 0900
)
EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}")
BSN_CANDIDATE_RE = re.compile(
    r"(?<![\d.-])(\d{4}[ .]?\d{2}[ .]?\d{3}|\d{3}[ .]\d{3}[ .]\d{3})(?![\d-])"
)
_MONTHS = (
    r"jan(?:uari)?|feb(?:ruari)?|maart|mrt|apr(?:il)?|mei|jun[i]?|jul[i]?|aug(?:ustus)?|"
    r"sep(?:t(?:ember)?)?|okt(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_WEEKDAYS = r"maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag"
DATE_RE = re.compile(
    r"\b(?:(?:" + _WEEKDAYS + r")\s+)?\d{1,2}\s+(?:" + _MONTHS + r")\.?(?:\s+\d{4})?\b"
    r"|\b\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})\b",
    re.IGNORECASE,
)
_TITLES = (
    r"mevrouw|mevr\.|mw\.|meneer|mijnheer|dhr\.|de heer|juf|juffrouw|meester|meneer|"
    r"consulent(?:e)?|casemanager|jeugdconsulent|wijkcoach|regisseur|gezinsvoogd|"
    r"mentor|dokter|dr\.|zoon|dochter|zoontje|dochtertje|broer|zus|moeder|vader|oma|opa|"
    r"kleinzoon|kleindochter|buurvrouw|buurman|begeleider|hulpverlener|voogd"
)
_CAP = r"[A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?"
_PARTICLE = r"(?:van\s+der|van\s+den|van\s+de|van|de|der|den|ter|ten|te|in\s+'t|'t)"
NAME_AFTER_TITLE_RE = re.compile(
    r"(?<!\w)(?:"
    + _TITLES
    + r")\s+((?:[A-Z]\.\s*)*"
    + _CAP
    + r"(?:\s+(?:"
    + _PARTICLE
    + r"\s+)?"
    + _CAP
    + r")?)",
)
_NOT_NAMES = {
    "De",
    "Het",
    "Een",
    "Die",
    "Dat",
    "Deze",
    "Dit",
    "Er",
    "Zij",
    "Hij",
    "Ze",
    "We",
    "Wij",
    "Ik",
    "Ook",
    "Maar",
    "En",
    "Toen",
    "Nu",
    "Wel",
    "Niet",
    "Geen",
    "Was",
    "Is",
    "Had",
}
# Our own patterns for institutions mirror meetings name: schools, care and youth services.
INSTITUTION_RE = re.compile(
    r"\b(?:(?:openbare\s+|christelijke\s+|katholieke\s+)?basisschool|school|"
    r"het\s+[A-Z]\w+\s+College|[A-Z]\w+college|[A-Z]\w+lyceum|kinderdagverblijf|"
    r"BSO|zorgboerderij)\s+((?:'t\s+|De\s+|Het\s+)?" + _CAP + r"(?:\s+" + _CAP + r")?)"
)


def bsn_valid(digits: str) -> bool:
    """The eleven-test ("elfproef") of a BSN: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 ≡ 0 (mod 11)."""
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1), strict=True))
    return total % 11 == 0


def _from_patterns(text: str) -> list[Span]:
    spans = []
    for match in EMAIL_RE.finditer(text):
        spans.append(Span(match.start(), match.end(), EMAIL))
    for match in BSN_CANDIDATE_RE.finditer(text):
        if bsn_valid(re.sub(r"\D", "", match.group(1))):
            spans.append(Span(match.start(1), match.end(1), BSN))
    for match in PHONE_RE.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if not bsn_valid(digits):
            spans.append(Span(match.start(), match.end(), PHONE))
    for match in DATE_RE.finditer(text):
        spans.append(Span(match.start(), match.end(), DATE))
    for match in NAME_AFTER_TITLE_RE.finditer(text):
        name = match.group(1)
        if name.split()[0] not in _NOT_NAMES:
            spans.append(Span(match.start(1), match.end(1), NAME))
    for match in INSTITUTION_RE.finditer(text):
        spans.append(Span(match.start(), match.end(), INSTITUTION))
    return spans


def _merge(spans: list[Span]) -> list[Span]:
    """Overlapping detections become one: the longest, or the most specific kind."""
    chosen: list[Span] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), _PRIORITY[s.kind], s.start)):
        if all(span.end <= other.start or span.start >= other.end for other in chosen):
            chosen.append(span)
    return sorted(chosen)


_LEADING_TITLE = re.compile(r"(?:" + _TITLES + r")\s+", re.IGNORECASE)


def _trim(text: str, span: Span) -> Span | None:
    """Without punctuation around it, and a name without its title ("mevrouw", "consulent"):
    the tag replaces the name, the sentence keeps who it was."""
    start, end = span.start, span.end
    if span.kind == NAME:
        title = _LEADING_TITLE.match(text, start, end)
        if title and title.end() < end:
            start = title.end()
    while start < end and text[start] in " \t\n,.;:()\"'":
        start += 1
    while end > start and text[end - 1] in " \t\n,;:()\"'":
        end -= 1
    return Span(start, end, span.kind) if end > start else None


def detect(text: str) -> list[Span]:
    """Every identifying detail in `text`, as non-overlapping spans in text order."""
    if not text or not text.strip():
        return []
    spans = _from_deduce(text) + _from_patterns(text)
    trimmed = (_trim(text, span) for span in spans)
    return _merge([span for span in trimmed if span is not None])


def replace(text: str, span: Span) -> str:
    return text[: span.start] + TAGS[span.kind] + text[span.end :]


if __name__ == "__main__":
    if "--warm" in sys.argv[1:]:
        # Builds deduce's lookup tables on a fresh install (minutes), so no request and no
        # test ever waits for it.
        print(detect("Warm: mevrouw Jansen uit Utrecht, 06-12345678."))
    else:
        for line in sys.stdin:
            text = line.rstrip("\n")
            print([(s.kind, s.text_in(text)) for s in detect(text)])
