"""Tell which language a document is written in.

Detection uses lingua over a fixed set of about twenty languages common in world news: a
smaller set is both faster and more accurate than all of lingua's 75, and a text in some other
language is rare in our input. The detector is built once per process on first use (lingua is
not even imported before), and lingua loads its models lazily, only for the languages a text's
alphabet allows. Texts long enough for lingua to use trigrams only go to a low-accuracy
detector, which answers the same but loads a fraction of the models (see
:data:`TRIGRAM_ONLY_LETTERS`).

Only a bounded sample is examined: the first :data:`SAMPLE_LETTERS` characters of words made of
letters, so a long text costs no more than a short one, and digits, URLs and punctuation (which
carry no language but weigh on n-gram statistics) are left out. Words of English names in a
Vietnamese article ("Meta Platforms", "GPU H100") do not sway the result: Vietnamese syllables
with their diacritics outweigh them.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lingua import Language, LanguageDetector

# ISO 639-1 codes of the languages we tell apart: Vietnamese and English first, then the
# languages of the countries in the AI race and of the bigger news markets.
NEWS_LANGUAGES: tuple[str, ...] = (
    "vi",
    "en",
    "zh",
    "ja",
    "ko",
    "fr",
    "de",
    "es",
    "pt",
    "it",
    "nl",
    "ru",
    "uk",
    "pl",
    "tr",
    "ar",
    "hi",
    "id",
    "ms",
    "th",
)

# Letters examined per document: about 150 words, plenty for a confident answer. Detection cost
# is linear in the sample: on a 3 KB Vietnamese text about 0.9 ms at 800 letters, 1.7 ms at 1500.
SAMPLE_LETTERS = 800

# Below this many letters a guess is noise ("OK", "GPU H100"), so no language is reported.
MIN_LETTERS = 20

# From this many letters on lingua uses only trigrams, in high- and low-accuracy mode alike, so
# the low-accuracy detector gives the same answer while loading only the trigram models: about
# 0.1 s and 35 MB per process instead of 1.5 s and 280 MB. Shorter texts, where the modes differ
# (a few words: 97% against 89% right in English), get the full detector, built when first needed.
TRIGRAM_ONLY_LETTERS = 120

# The sample is taken from at most this many characters per letter wanted: prose is more than
# a quarter letters, and the bound keeps the cost of a text of digits or markup fixed too.
_WINDOW_FACTOR = 4


def detect_language(text: str) -> str | None:
    """Return the ISO 639-1 code of the language a text is written in.

    Args:
        text: the document text; only its first :data:`SAMPLE_LETTERS` letters are examined.

    Returns:
        A lower-case two-letter code such as ``"vi"`` or ``"en"``, or None when the text has
        fewer than :data:`MIN_LETTERS` letters or the detector cannot decide.
    """
    sample, letters = _letter_sample(text)
    if letters < MIN_LETTERS:
        return None
    language = _detector(low_accuracy=letters >= TRIGRAM_ONLY_LETTERS).detect_language_of(sample)
    if language is None:
        return None
    code: str = language.iso_code_639_1.name.lower()
    return code


def supported_languages() -> tuple[str, ...]:
    """Return the ISO 639-1 codes :func:`detect_language` can answer, in preference order.

    Returns:
        The codes of :data:`NEWS_LANGUAGES` that the installed lingua knows.
    """
    return tuple(code for code in NEWS_LANGUAGES if _lingua_language(code) is not None)


def _letter_sample(text: str) -> tuple[str, int]:
    """Return the leading words of letters (addresses left out) and how many letters they hold."""
    window = text[: SAMPLE_LETTERS * _WINDOW_FACTOR]
    patterns = _patterns()
    if "://" in window or "www." in window or "@" in window:
        window = patterns.address.sub(" ", window)
    words: list[str] = []
    letters = 0
    for word in patterns.word.findall(window):
        words.append(word)
        letters += len(word)
        if letters >= SAMPLE_LETTERS:
            break
    return " ".join(words), letters


class _Patterns:
    """The compiled regular expressions of sampling."""

    def __init__(self) -> None:
        self.address = re.compile(r"\S*(?:://|www\.|@)\S*")
        self.word = re.compile(r"[^\W\d_]+")


@functools.cache
def _patterns() -> _Patterns:
    """Compile the sampling patterns once, at first use."""
    return _Patterns()


def _lingua_language(code: str) -> Language | None:
    """Return lingua's language for an ISO 639-1 code, or None when lingua lacks it."""
    from lingua import IsoCode639_1, Language

    iso = getattr(IsoCode639_1, code.upper(), None)
    if iso is None:
        return None
    try:
        language: Language = Language.from_iso_code_639_1(iso)
    except ValueError:
        return None
    return language


@functools.cache
def _detector(*, low_accuracy: bool) -> LanguageDetector:
    """Build a language detector of either accuracy once per process, at first use."""
    from lingua import LanguageDetectorBuilder

    languages = [_lingua_language(code) for code in supported_languages()]
    builder = LanguageDetectorBuilder.from_languages(
        *[language for language in languages if language is not None]
    )
    if low_accuracy:
        builder = builder.with_low_accuracy_mode()
    return builder.build()
