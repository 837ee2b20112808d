"""Text cleaning: one normal form for every document, and the page chrome around it removed.

The store keeps the normalised, cleaned text and nothing else: the original bytes are not
kept, and every claim span (``quote == text[start:end]``) refers to the cleaned text. One text
means spans never need mapping back through offsets; the price is that a better cleaner cannot
be re-applied to stored documents, only to sources ingested again. So the cleaning decides what
a document *is*, and it has two parts:

* ``normalise_text`` makes equal text equal: Unicode NFC (also for text that arrives
  decomposed), one newline, one space, no invisible characters, and one Vietnamese tone-mark
  style. Vietnamese is written in two styles that differ only in where the tone mark sits on
  the open clusters *oa*, *oe*, *uy*: the old "hoà, thuý, khoẻ" and the new "hòa, thúy, khỏe".
  We keep the new style, which is the one Vietnamese dictionaries and most current news sites
  use, so that a search, a lexicon entry and a content hash do not depend on the writer's
  habit. The rule is a table of the five tone marks applied to those clusters at the end of a
  syllable; syllables with a final consonant or vowel (*hoàng*, *ngoài*, *khuya*) and *qu*
  clusters (*quý*, *quả*) are spelled the same in both styles and are left alone, as is any
  word whose opening is not a Vietnamese initial consonant (*Chloé*, *Zoé*).
* ``remove_boilerplate`` drops the lines of the page around the article by line-level rules:
  image file names, link lines, counters, repeated lines, and short interface lines before the
  first and after the last real paragraph (vocabulary in ``airace/data/boilerplate.yaml``).
  Kept lines are kept byte-identical, so cleaning never re-flows or rewrites article text.

``content_hash`` is the store's idempotency key, ``<NORMALISER_VERSION>:<sha256>`` of the text
with whitespace runs collapsed: re-wrapping a text does not make a new document, while a change
to the cleaning (a bumped ``NORMALISER_VERSION``) shows as a new version instead of silently
colliding with or duplicating old rows.

Tables and regular expressions are compiled on first use and cached; importing this module
builds nothing.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from airace.errors import AiraceError

__all__ = [
    "NORMALISER_VERSION",
    "clean_text",
    "content_hash",
    "normalise_text",
    "remove_boilerplate",
]

# Bump whenever a change here or in data/boilerplate.yaml can change what clean_text returns:
# content hashes carry it, so the store sees re-cleaned text as a new version.
NORMALISER_VERSION = "n1"

# Characters that end a line besides "\n" (those str.splitlines() knows); all become "\n".
# "\r\n" is replaced before this table applies so that it makes one newline, not two.
_LINE_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"

# Invisible characters that only get in the way of matching: zero-width space, non-joiner and
# joiner, direction marks and embeddings, word joiner and invisible operators, BOM (also used
# as a zero-width no-break space), soft hyphen, Mongolian vowel separator.
_INVISIBLE = (
    "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)

# Spaces other than " " (no-break, typographic and ideographic spaces): all become " ".
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
_SPACES += "\u202f\u205f\u3000"

# Vietnamese tone marks as combining characters (the five besides "ngang", which has none).
_TONE_MARKS = {
    "\u0300": "huyền",  # hòa
    "\u0301": "sắc",  # thúy
    "\u0309": "hỏi",  # khỏe
    "\u0303": "ngã",  # lõa
    "\u0323": "nặng",  # họa
}

# Initial consonants that open a Vietnamese syllable before "oa" or "uy" ("" = no initial,
# as in "ủy"). "q" is absent on purpose: in "quý", "quả" the "u" belongs to the initial and
# the tone already sits on the main vowel in both styles.
_INITIALS = frozenset(
    ("", "b", "ch", "d", "đ", "g", "h", "kh", "l", "m", "n", "ng", "nh", "ph", "r", "s", "t")
) | frozenset(("th", "tr", "v", "x"))

# Open clusters whose tone the two styles place differently, old style first vowel plain and
# second toned ("hoà") -> new style first vowel toned ("hòa"), with the initials that really
# occur before them. "oe" syllables are few (khỏe, hòe, lóe, tòe, xòe, nhòe, chóe, ngóe, oẹ),
# and French names end in "-oé" (Noé, Chloé), so "oe" takes only its own initials.
_OPEN_CLUSTERS: dict[str, frozenset[str]] = {
    "oa": _INITIALS,
    "oe": frozenset(["", "ch", "h", "kh", "l", "ng", "nh", "t", "x"]),
    "uy": _INITIALS,
}

# A line with at least this many words is a paragraph whatever its punctuation.
_PARAGRAPH_MIN_WORDS = 12
# Head and tail lines with at most this many words are navigation ("Top", "Intern Writer").
_CHROME_MAX_WORDS = 2
# Counters and share rows are short; longer lines are never tested for them.
_WIDGET_MAX_WORDS = 8
# A line whose characters (spaces aside) are at least this share URL is a link line.
_LINK_DENSITY = 0.5
# A "Xem thêm: <headline>" line longer than this is a paragraph that starts oddly, not a link.
_LEAD_IN_MAX_WORDS = 30

_SENTENCE_END = ".!?…。！？"
_CLOSERS = "\"'”’»)]}›"

_VOCABULARY_FILE = "data/boilerplate.yaml"
_VOCABULARY_KEYS = ("chrome", "social", "counters", "attribution", "lead_ins")


# --- normalisation ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _CharRule:
    pattern: re.Pattern[str]  # any character that normalisation replaces or removes
    replacement: dict[str, str]  # that character -> "\n", " " or ""


@cache
def _char_rule() -> _CharRule:
    """Compile the character table: line breaks, spaces, invisibles, controls, surrogates."""
    replacement = {chr(code): "" for code in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]}
    del replacement["\n"], replacement["\t"]
    replacement.update(dict.fromkeys(_INVISIBLE, ""))
    replacement.update(dict.fromkeys(_SPACES, " "))
    replacement.update(dict.fromkeys(_LINE_BREAKS, "\n"))
    # Lone surrogates (undecodable bytes kept by errors="surrogateescape") cannot be stored
    # or hashed as UTF-8; they are removed like controls.
    pattern = re.compile(f"[{re.escape(''.join(replacement))}\ud800-\udfff]")
    return _CharRule(pattern, replacement)


def _replace_char(match: re.Match[str]) -> str:
    """Return the replacement of one special character."""
    return _char_rule().replacement.get(match.group(), "")


@dataclass(frozen=True, slots=True)
class _ToneRule:
    toned_seconds: str  # every second vowel that carries a tone in the old style
    pattern: re.Pattern[str]  # a first vowel followed by one of those
    new_style: dict[str, str]  # old-style pair ("oà") -> new-style pair ("òa")
    initials: dict[str, frozenset[str]]  # plain pair ("oa") -> the initials it follows


@cache
def _tone_rule() -> _ToneRule:
    """Compile the tone-mark table into a pattern and an old pair -> new pair mapping."""
    new_style: dict[str, str] = {}
    for cluster in _OPEN_CLUSTERS:
        first, second = cluster[0], cluster[1]
        for mark in _TONE_MARKS:
            for v1 in (first, first.upper()):
                for v2 in (second, second.upper()):
                    old = v1 + unicodedata.normalize("NFC", v2 + mark)
                    new_style[old] = unicodedata.normalize("NFC", v1 + mark) + v2
    firsts = "".join(sorted({old[0] for old in new_style}))
    seconds = "".join(sorted({old[1] for old in new_style}))
    pattern = re.compile(f"[{firsts}][{seconds}]")
    return _ToneRule(seconds, pattern, new_style, dict(_OPEN_CLUSTERS))


def _is_word_char(char: str) -> bool:
    """Tell whether a character continues a word (a letter or a combining mark)."""
    return unicodedata.category(char)[0] in "LM"


def _new_tone_style(match: re.Match[str]) -> str:
    """Replace one old-style pair when it ends a syllable opened by a Vietnamese initial."""
    rule = _tone_rule()
    text, start, end = match.string, match.start(), match.end()
    pair = match.group()
    if pair not in rule.new_style or (end < len(text) and _is_word_char(text[end])):
        return pair
    word_start = start
    while word_start > 0 and _is_word_char(text[word_start - 1]):
        word_start -= 1
    cluster = pair[0].casefold() + unicodedata.normalize("NFD", pair[1])[0].casefold()
    if text[word_start:start].casefold() not in rule.initials[cluster]:
        return pair
    return rule.new_style[pair]


def _unify_tone_marks(text: str) -> str:
    """Move old-style tone marks ("hoà", "thuý", "khoẻ") to the new style ("hòa")."""
    rule = _tone_rule()
    # A test per character with str's fast search costs far less than a regex scan, and most
    # texts have no candidate at all.
    if not any(char in text for char in rule.toned_seconds):
        return text
    return rule.pattern.sub(_new_tone_style, text)


def normalise_text(text: str) -> str:
    """Bring a text to the one form the store keeps.

    NFC (also for decomposed input); every line break as "\\n"; zero-width characters, BOM,
    soft hyphens, lone surrogates and control characters (except "\\n" and "\\t") removed;
    no-break and other Unicode spaces as " "; trailing spaces and tabs stripped; at most one
    blank line in a row; no blank lines at either end; Vietnamese tone marks in the new style
    ("hòa, thúy, khỏe, tùy"). Idempotent.

    Args:
        text: any decoded text.

    Returns:
        The normalised text.
    """
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    text = _char_rule().pattern.sub(_replace_char, text)
    if not text.isascii():
        text = _unify_tone_marks(unicodedata.normalize("NFC", text))
    if " \n" in text or "\t\n" in text or text.endswith((" ", "\t")):
        text = "\n".join(line.rstrip(" \t") for line in text.split("\n"))
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip("\n")


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def clean_label(label: str) -> str:
    """Make an origin (a path or URL) storable in any database: bytes a file name held that
    are not UTF-8 (kept by Python as lone surrogates) become ``\\xff`` escapes, and control
    characters (NUL, which PostgreSQL refuses, line breaks) are dropped."""
    try:
        label.encode("utf-8")
    except UnicodeEncodeError:
        try:
            raw = label.encode("utf-8", "surrogateescape")
            label = raw.decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:  # other lone surrogates, e.g. from a JSON \ud800
            label = label.encode("utf-8", "backslashreplace").decode("utf-8")
    return _CONTROL.sub("", label)


# --- boilerplate vocabulary ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    chrome: tuple[str, ...]
    social: tuple[str, ...]
    counters: tuple[str, ...]
    attribution: tuple[str, ...]
    lead_ins: tuple[str, ...]


def _entries(data: dict[str, Any], key: str, path: str) -> tuple[str, ...]:
    """Check one key of the vocabulary file and return its entries, normalised, all groups."""
    groups = data.get(key)
    if not isinstance(groups, dict) or not groups:
        raise AiraceError(
            "expected a mapping of groups to lists of phrases",
            path=path,
            key=key,
            hint="Write the key as 'key: {group: [phrase, ...]}'",
        )
    entries: list[str] = []
    for group, phrases in groups.items():
        if not isinstance(phrases, list) or not phrases:
            raise AiraceError(
                "expected a non-empty list of phrases", path=path, key=f"{key}.{group}"
            )
        for index, phrase in enumerate(phrases):
            if not isinstance(phrase, str) or not phrase.strip():
                raise AiraceError(
                    "expected a non-empty phrase", path=path, key=f"{key}.{group}[{index}]"
                )
            entries.append(_line_key(normalise_text(phrase)))
    return tuple(dict.fromkeys(entries))


def _parse_vocabulary(data: object, path: str) -> _Vocabulary:
    """Check the vocabulary file's closed schema and normalise its entries."""
    if not isinstance(data, dict):
        raise AiraceError("expected a mapping at the top level", path=path)
    unknown = sorted(str(key) for key in data if key not in _VOCABULARY_KEYS)
    if unknown:
        raise AiraceError(
            "unknown key", path=path, key=unknown[0], hint=f"Known keys: {_VOCABULARY_KEYS}"
        )
    chrome, social, counters, attribution, lead_ins = (
        _entries(data, key, path) for key in _VOCABULARY_KEYS
    )
    return _Vocabulary(chrome, social, counters, attribution, lead_ins)


@cache
def _vocabulary() -> _Vocabulary:
    """Load and check ``data/boilerplate.yaml`` (once per process)."""
    import yaml  # here, not at the top: importing the module stays cheap for the CLI

    resource = resources.files("airace").joinpath(_VOCABULARY_FILE)
    return _parse_vocabulary(yaml.safe_load(resource.read_text("utf-8")), str(resource))


def _alternation(phrases: tuple[str, ...]) -> str:
    """Join phrases into one regex alternation, longest first so that it prefers them."""
    return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))


@dataclass(frozen=True, slots=True)
class _LinePatterns:
    image: re.Pattern[str]
    url: re.Pattern[str]
    chrome: re.Pattern[str]
    share_row: re.Pattern[str]
    social: frozenset[str]
    counter: re.Pattern[str]
    widget_separator: re.Pattern[str]
    attribution: re.Pattern[str]
    lead_in: re.Pattern[str]


@cache
def _patterns() -> _LinePatterns:
    """Compile the line patterns from the vocabulary (once per process)."""
    vocabulary = _vocabulary()
    number = r"\d[\d.,]*\s*[kmb]?\+?"
    counter_label = f"(?:{_alternation(vocabulary.counters)})"
    return _LinePatterns(
        image=re.compile(
            r"\s*[^\s/\\]+\.(?:png|jpe?g|gif|webp|bmp|svg|avif|tiff?|heic)(?:\?\S*)?\s*",
            re.IGNORECASE,
        ),
        url=re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.)\S+", re.IGNORECASE),
        chrome=re.compile(rf"(?<!\w)(?:{_alternation(vocabulary.chrome)})(?!\w)"),
        share_row=re.compile(
            rf"(?<!\w)(?:{_alternation(vocabulary.social + vocabulary.chrome)})(?!\w)"
        ),
        social=frozenset(vocabulary.social),
        counter=re.compile(
            rf"\(?{number}\)?\s*{counter_label}|{counter_label}\s*[:：]?\s*\(?{number}\)?"
        ),
        widget_separator=re.compile(r"\s*[|•·]\s*"),
        attribution=re.compile(rf"[(\[]?(?:{_alternation(vocabulary.attribution)})(?!\w)"),
        lead_in=re.compile(
            rf"[(\[]?(?:{_alternation(vocabulary.lead_ins)})[)\]]?\s*(?:$|[:：»›>→])"
        ),
    )


# --- boilerplate rules --------------------------------------------------------------------


def _line_key(line: str) -> str:
    """Return the comparison form of a line: single-spaced, stripped, casefolded."""
    return " ".join(line.split()).casefold()


def _word_count(tokens: list[str]) -> int:
    """Count the tokens that hold a letter or a digit (exactly up to the largest threshold)."""
    if len(tokens) > _LEAD_IN_MAX_WORDS:
        return len(tokens)
    return sum(1 for token in tokens if any(map(str.isalnum, token)))


def _is_paragraph(line: str, words: int) -> bool:
    """Tell whether a line is article text: long enough or ending a sentence."""
    if words >= _PARAGRAPH_MIN_WORDS:
        return True
    end = line.rstrip().rstrip(_CLOSERS)
    return bool(end) and end[-1] in _SENTENCE_END


def _is_link_line(line: str, patterns: _LinePatterns) -> bool:
    """Tell whether most of a line's characters are inside URLs."""
    if "://" not in line and "www." not in line and "WWW." not in line:
        return False
    in_urls = sum(len(url) for url in patterns.url.findall(line))
    visible = len(line) - sum(1 for c in line if c.isspace())
    return in_urls >= _LINK_DENSITY * visible


def _is_counter(key: str, patterns: _LinePatterns) -> bool:
    """Tell whether a line is only counter widgets ("Phản hồi: 0 | 12 lượt xem")."""
    segments = patterns.widget_separator.split(key.strip(" |•·"))
    return all(patterns.counter.fullmatch(segment) for segment in segments)


def _is_share_row(key: str, patterns: _LinePatterns) -> bool:
    """Tell whether a line is only share buttons ("Facebook Twitter", "Chia sẻ Zalo")."""
    found = patterns.share_row.findall(key)
    if len(found) < 2 or not patterns.social.intersection(found):
        return False
    rest = patterns.share_row.sub(" ", key)
    return not any(c.isalnum() for c in rest)


def _anywhere_reason(line: str, key: str, words: int, patterns: _LinePatterns) -> str | None:
    """Return why a line is page chrome wherever it stands, or None."""
    if patterns.image.fullmatch(line):
        return "image"
    if _is_link_line(line, patterns):
        return "link"
    if words <= _WIDGET_MAX_WORDS:
        if any(map(str.isdigit, key)) and _is_counter(key, patterns):
            return "counter"
        if _is_share_row(key, patterns):
            return "share"
    if words <= _LEAD_IN_MAX_WORDS and patterns.lead_in.match(key):
        return "lead-in"
    return None


def _edge_reason(
    line: str, key: str, words: int, repeats: int, patterns: _LinePatterns
) -> str | None:
    """Return why a short line before or after the article is chrome, or None to keep it."""
    if patterns.chrome.search(key):
        return "chrome"
    if patterns.attribution.match(key):
        return None
    if line.isupper():
        return "all-caps"
    if words <= _CHROME_MAX_WORDS:
        return "short"
    if repeats > 1:
        return "repeated"
    return None


def _judge_lines(lines: list[str]) -> list[str | None]:
    """Return, per line, why it is boilerplate, or None when it is kept (blank lines: None)."""
    patterns = _patterns()
    verdicts: list[str | None] = [None] * len(lines)
    tokens = [line.split() for line in lines]
    keys = [" ".join(line_tokens).casefold() for line_tokens in tokens]
    words = [_word_count(line_tokens) for line_tokens in tokens]
    filled = [i for i, key in enumerate(keys) if key]
    if not filled:
        return verdicts
    title = filled[0]
    seen = {keys[title]}
    for i in filled[1:]:
        if keys[i] in seen:
            verdicts[i] = "repeated"
        else:
            seen.add(keys[i])
            verdicts[i] = _anywhere_reason(lines[i], keys[i], words[i], patterns)
    paragraphs = [
        i for i in filled[1:] if verdicts[i] is None and _is_paragraph(lines[i], words[i])
    ]
    first = paragraphs[0] if paragraphs else len(lines)
    last = paragraphs[-1] if paragraphs else len(lines)
    # A short line met more than once around the article (a byline in the head and again in
    # the tail, a user card) is chrome even at its first place; the body does not count.
    counts = Counter(keys[i] for i in filled[1:] if i < first or i > last)
    for i in filled[1:]:
        if verdicts[i] is None and (i < first or i > last):
            verdicts[i] = _edge_reason(lines[i], keys[i], words[i], counts[keys[i]], patterns)
    return verdicts


def remove_boilerplate(text: str) -> str:
    """Drop the lines of the web page around an article, keeping the article lines as they are.

    Dropped anywhere: image file names, link lines (mostly URL), counter widgets
    ("Phản hồi: 0"), share rows, "Xem thêm: ..." links, and any line seen before (after
    whitespace and case folding; the first line, the title, is always kept). Dropped before the
    first and after the last real paragraph (a line of 12 or more words or one ending a
    sentence): short lines holding interface vocabulary, all-caps lines, lines of one or two
    words, and short lines that occur more than once (a repeated byline); attributions such
    as "Theo Reuters" are kept. Blank lines separate kept lines where the input had one.

    Args:
        text: normalised text (see ``normalise_text``), lines separated by "\\n".

    Returns:
        The kept lines, byte-identical, with at most one blank line in a row.
    """
    lines = text.split("\n")
    verdicts = _judge_lines(lines)
    kept: list[str] = []
    blank_before = False
    for line, verdict in zip(lines, verdicts, strict=True):
        if not line.strip():
            blank_before = bool(kept)
        elif verdict is None:
            if blank_before:
                kept.append("")
            kept.append(line)
            blank_before = False
    return "\n".join(kept)


def clean_text(text: str) -> str:
    """Normalise a text and drop its page chrome: the text the store keeps.

    Args:
        text: any decoded text.

    Returns:
        ``remove_boilerplate(normalise_text(text))``.
    """
    return remove_boilerplate(normalise_text(text))


def content_hash(text: str) -> str:
    """Return the store's idempotency key of a cleaned text.

    Whitespace runs are collapsed to one space and the ends stripped before hashing, so a text
    re-wrapped or re-indented keeps its key.

    Args:
        text: the cleaned text, as ``clean_text`` returns it (the key is only comparable
            between texts cleaned by the same ``NORMALISER_VERSION``).

    Returns:
        ``"<NORMALISER_VERSION>:<sha256 hex>"``.
    """
    canonical = " ".join(text.split())
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return f"{NORMALISER_VERSION}:{digest}"
