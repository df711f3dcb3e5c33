"""Theme suggestions, computed on this machine: no text leaves the server.

For the findings of a session that have no theme yet, `suggest` ranks the organisation's
existing themes by how close each finding is to the findings people already put under them,
and proposes new groups for what fits none of them:

- **Words.** A finding becomes its Dutch words, lower-cased, without stop words, reduced to
  their stem by the Snowball stemmer ("terugbellen", "gebeld" and "bellen" share "bel").
- **TF-IDF** (scikit-learn) over those stems, with sub-linear term frequency, fitted on the
  organisation's themed findings and the session's unthemed ones together (unsupervised: the
  unthemed words only weigh the vocabulary, their themes are not known).
- **Nearest centroid, Rocchio-style.** A theme is the mean of its findings' vectors (its name
  counted as NAME_WEIGHT findings) minus ROCCHIO_BETA times the mean of all themed findings,
  normalised: what sets the theme apart counts, not the words every note of the organisation
  uses ("hulp", "kind", "gesprek"). A finding's suggestions are the themes by cosine with
  those centroids, best first; the similarity it reports (and "fits none") is the plain
  cosine with the theme's mean, which stays between 0 and 1.
- **What fits none.** When even the best theme is less similar than `FITS_NONE_BELOW`, the
  finding counts as fitting none; those findings are clustered (agglomerative, cosine, average
  linkage, a distance threshold) and each group of two or more is proposed as a new theme,
  named after its most telling words. A person names it properly before accepting.

Nothing here touches the database or assigns anything: `findings.services.themes` loads the
texts and a person accepts, changes or rejects every suggestion in the debrief. Measured by
`bench/themes.py` on `tests/data/themed_findings.txt`.

A sentence-embedding model is not built in: see docs/decisions.md ("Theme suggestions").
scikit-learn is imported inside the functions (its import takes seconds) so that pages which
never suggest do not pay for it.
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

# Below this cosine similarity to the best theme's centroid a finding fits no existing theme.
# Chosen on the bench's data (bench/themes.py prints how many fit none at this value).
FITS_NONE_BELOW = 0.06
# Findings further apart than this (cosine distance, average linkage) are not grouped.
GROUP_DISTANCE = 0.92
TOP = 3
# How much of the mean of all themed findings each theme's centroid loses, and how many
# findings a theme's name counts as. Chosen by leave-one-organisation-out on the bench's data:
# for each organisation the setting that did best on the two others (all three folds chose
# these); see docs/decisions.md ("Theme suggestions").
ROCCHIO_BETA = 1.2
NAME_WEIGHT = 2

# Dutch function words and the words every mirror-meeting note holds, which say nothing about
# the theme ("ik", "heel", "keer"). Kept short on purpose: TF-IDF already weighs common words
# down; this only keeps the groups' names readable.
STOP_WORDS = frozenset(
    """
    aan al alle alles als altijd andere ben bij daar daarna dan dat de der deze die dit doch doen
    door dus een eens en er ge geen geweest gewoon haar had heb hebben heeft hem het hier hij hoe
    hun iemand iets ik in is ja je jij kan kon kunnen maar me meer men met mij mijn moet moest na
    naar niet niets nog nu of om omdat ons onze ook op over pas reeds s te tegen toch toen tot u
    uit uw van veel voor waar wanneer want waren was wat we wel werd werden wie wij wil wilde
    worden wordt zal ze zelf zich zij zijn zo zonder zou zouden heel echt keer ineens eerst
    steeds gaat ging komt kwam krijg kreeg kregen zei zeggen zegt weet wist mee mocht mag moeten
    """.split()  # noqa: SIM905 - a word list reads better as text
)

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("dutch")


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)


def words(text: str) -> list[str]:
    """The finding's content words, lower-cased, in order."""
    return [w for w in (m.group().lower() for m in _WORD.finditer(text)) if w not in STOP_WORDS]


def stems(text: str) -> list[str]:
    return [_stem(word) for word in words(text) if len(word) > 1]


@dataclass
class Suggestion:
    """Existing themes for one finding, best first, each with its similarity (0–1)."""

    finding_id: int
    ranked: list[tuple[int, float]] = field(default_factory=list)

    @property
    def best(self):
        return self.ranked[0][0] if self.ranked else None

    @property
    def fits(self) -> bool:
        return bool(self.ranked) and self.ranked[0][1] >= FITS_NONE_BELOW


@dataclass
class Group:
    """A proposed new theme: findings that fit no existing theme but resemble each other."""

    name: str
    finding_ids: list[int]


@dataclass
class Result:
    suggestions: dict[int, Suggestion]
    groups: list[Group]


def _vectorise(texts):
    """Stemmed words and, beside them, the words' character 4–6-grams: Dutch glues words into
    compounds ("wachtlijst", "keukentafelgesprek", "huishoudelijke"), which share no stem with
    their parts but share n-grams. Each half is normalised, then the whole."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    by_stem = TfidfVectorizer(analyzer=stems, sublinear_tf=True)
    by_grams = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(4, 6), sublinear_tf=True, preprocessor=_content
    )
    halves = [by_stem.fit_transform(texts), by_grams.fit_transform(texts)]
    return by_stem, normalize(hstack(halves).tocsr()), halves[0].shape[1]


def _content(text: str) -> str:
    return " ".join(words(text))


def suggest(unthemed, themed, *, names=None, top=TOP) -> Result:
    """`unthemed`: (finding id, text) pairs to suggest for; `themed`: (text, theme id) pairs
    of the organisation's findings that people already put under a theme; `names`: {theme
    id: name}, each name counted as NAME_WEIGHT more findings of its theme (people name a theme
    with the words its findings use)."""
    import numpy as np
    from sklearn.preprocessing import normalize

    unthemed = [(pk, text) for pk, text in unthemed if text.strip()]
    if not unthemed:
        return Result({}, [])
    names = names or {}
    named = [(name, pk) for pk, name in names.items() if name.strip()]
    themed = [*themed, *named * NAME_WEIGHT]
    texts = [text for _pk, text in unthemed] + [text for text, _theme in themed]
    try:
        vectoriser, matrix, n_stems = _vectorise(texts)
    except ValueError:  # no content word in any text (only stop words, numbers)
        return Result({pk: Suggestion(pk) for pk, _text in unthemed}, [])
    rows, theme_rows = matrix[: len(unthemed)], matrix[len(unthemed) :]

    suggestions = {pk: Suggestion(pk) for pk, _text in unthemed}
    theme_ids = sorted({theme for _text, theme in themed})
    if theme_ids:
        by_theme = defaultdict(list)
        for index, (_text, theme) in enumerate(themed):
            by_theme[theme].append(index)
        means = np.vstack(
            [np.asarray(theme_rows[by_theme[t]].mean(axis=0)).ravel() for t in theme_ids]
        )
        overall = np.asarray(theme_rows.mean(axis=0)).ravel()
        beta = ROCCHIO_BETA if len(theme_ids) > 1 else 0.0  # one theme: nothing to set apart
        rank_by = np.asarray(rows @ normalize(means - beta * overall).T)  # rows are L2-normalised
        similarity = np.asarray(rows @ normalize(means).T)
        for index, (pk, _text) in enumerate(unthemed):
            order = np.argsort(-rank_by[index], kind="stable")[:top]
            suggestions[pk].ranked = [(theme_ids[i], float(similarity[index, i])) for i in order]

    loose = [i for i, (pk, _text) in enumerate(unthemed) if not suggestions[pk].fits]
    # Groups are formed and named by the stems alone: n-grams of unrelated words make
    # findings look alike that are not.
    groups = _groups(
        [unthemed[i] for i in loose], rows[loose][:, :n_stems], vectoriser.get_feature_names_out()
    )
    return Result(suggestions, groups)


def _groups(items, rows, vocabulary) -> list[Group]:
    """Clusters of two or more among the findings that fit no theme, largest first."""
    import numpy as np

    if len(items) < 2:
        return []
    from sklearn.cluster import AgglomerativeClustering

    dense = rows.toarray()
    empty = ~dense.any(axis=1)  # no known word: cosine distance is undefined
    keep = [i for i in range(len(items)) if not empty[i]]
    if len(keep) < 2:
        return []
    labels = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=GROUP_DISTANCE
    ).fit_predict(dense[keep])
    members = defaultdict(list)
    for index, label in zip(keep, labels, strict=True):
        members[label].append(index)
    groups = []
    for indexes in members.values():
        if len(indexes) < 2:
            continue
        weight = np.asarray(dense[indexes].sum(axis=0)).ravel()
        shared = (dense[indexes] > 0).sum(axis=0)
        # The words most of the group shares, heaviest first; a word one finding alone uses
        # does not name a group.
        order = [i for i in np.argsort(-weight * shared, kind="stable") if shared[i] >= 2]
        name = _name([items[i][1] for i in indexes], [vocabulary[i] for i in order[:2]])
        groups.append(Group(name, [items[i][0] for i in indexes]))
    groups.sort(key=lambda g: (-len(g.finding_ids), g.name))
    return groups


def _name(texts, top_stems) -> str:
    """The group's most telling stems, written as the word the findings use most for each."""
    if not top_stems:
        return ""
    spelled = defaultdict(Counter)
    for text in texts:
        for word in words(text):
            spelled[_stem(word)][word] += 1
    names = [spelled[s].most_common(1)[0][0] if spelled[s] else s for s in top_stems]
    return " en ".join(names).capitalize()
