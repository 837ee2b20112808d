"""Entity names as tables key them: one spacing, unified joiners, and the letter case they match in.

A name's lookup form has one space between words and none around joiners (``TP. HCM`` =
``TP.HCM``), with dashes and apostrophes unified (``–`` = ``-``, ``’`` = ``'``) and without its
trailing punctuation, which the name keeps as its tail (``U.S.``). Letter case is decided per
name from its shape:

- a name of three or more words matches in any case (official names are capitalised loosely:
  "Liên minh Châu Âu", "Bộ Khoa học và công nghệ");
- a shorter name matches as written, with its first letter capitalised when it starts in lower
  case ("thế giới" -> "Thế giới" at a sentence start), or in capitals when it has four letters or
  more ("NVIDIA", "TRUNG QUỐC" in headlines). So ``Mỹ``, ``Meta``, ``xAI`` and ``Ai Cập`` (Egypt,
  never "AI cập nhật") are case-sensitive, while ``AI`` is simply not a name;
- an ambiguous name matches only as written and only where its rules allow.

The first word of a long name must appear as written, in lower case, capitalised or in capitals
(it is what the scan looks up before walking the tries).
"""

from __future__ import annotations

import re
from functools import lru_cache

# A name of this many words or more matches in any letter case.
LONG_NAME_WORDS = 3
# A name with this many letters or more also matches in capitals (headlines).
CAPITALS_MIN_LETTERS = 4

# A word of a name: a run of Unicode word characters (Vietnamese tone marks included).
WORD = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")
_JOINED = re.compile(r"\s*([-.&/'])\s*")
_UNIFY = str.maketrans(
    {"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-", "’": "'", "‘": "'", "ʼ": "'"}
)


def first_word(key: str) -> str:
    """Return the first word of a normalised name (which starts with a letter or digit)."""
    found = WORD.match(key)
    return found.group() if found else key


def name_key(surface: str) -> str:
    """Return the table key of a name: as written, or case-folded for a long name."""
    key = strip_tail(normalise_name(surface))
    return key.casefold() if len(key.split(" ")) >= LONG_NAME_WORDS else key


def case_variants(name: str) -> list[str]:
    """Return the other spellings a short name matches in (see the module docstring)."""
    variants = []
    first = name.split(" ", 1)[0]
    if first.islower():
        variants.append(name[0].upper() + name[1:])
    if sum(ch.isalpha() for ch in name) >= CAPITALS_MIN_LETTERS and name.upper() != name:
        variants.append(name.upper())
    return variants


def strip_tail(name: str) -> str:
    """Return a name without its trailing punctuation ("U.S." -> "U.S")."""
    end = len(name)
    while end and not name[end - 1].isalnum():
        end -= 1
    return name[:end]


def normalise_name(text: str) -> str:
    """Return a name's lookup form: one space between words, none around joiners."""
    text = _SPACES.sub(" ", text.translate(_UNIFY)).strip()
    return _JOINED.sub(r"\1", text)


@lru_cache(maxsize=4096)
def joiner_between(between: str) -> str | None:
    """Return the normalised text between two words of a name, None if no name spans it."""
    if "\n" in between or len(between) > 4:
        return None
    return _JOINED.sub(r"\1", _SPACES.sub(" ", between.translate(_UNIFY)))
