"""Role cues: the words that tell what part an entity plays beside a figure, and their weights.

Per language, ``lexicons/<lang>/roles.yaml`` lists supply verbs and recipient words (the seller
and the buyer of "AMD will ship 40,000 accelerators to Japan") and investor phrases ("led by",
"dẫn đầu"); ``data/subject_weights.yaml`` gives each cue of ``subjects.py`` its weight. Both are
read and checked against a closed schema once per process.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from airace.errors import LexiconError
from airace.extract.lexicon import check_keys, read_mapping, read_word_lists
from airace.extract.scan import PhraseSet

_ROLE_KEYS = ("supply", "recipient", "investor_before", "investor_after", "genitive")
# Read in a scan of their own: "của" is both a genitive before a name and an owner after a figure.
_OWNER_KEYS = ("owner_after",)
_WEIGHTS_PATH = Path(__file__).parent.parent / "data" / "subject_weights.yaml"
# Every cue subjects.py scores, and the distance weight (per 100 characters).
CUES = (
    "structural", "inherited", "self_reported", "item", "clause", "sentence", "nearest",
    "subordinate", "after", "first_after", "source_after", "topic", "document", "seller", "buyer",
    "investor", "modifier", "brand", "genitive", "possessor", "attached", "adjective", "distance",
    "minimum_score",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Roles:
    """One language's role words, compiled into one phrase set keyed by role (one scan)."""

    words: PhraseSet  # key: one of _ROLE_KEYS
    owner_after: PhraseSet


@cache
def load_roles(lang: str) -> Roles:
    """Read and compile ``lexicons/<lang>/roles.yaml``.

    Raises:
        LexiconError: the file is missing or breaks its schema.
    """
    lists = read_word_lists(lang, "roles", (*_ROLE_KEYS, *_OWNER_KEYS))
    owner = {key: lists.pop(key) for key in _OWNER_KEYS}
    return Roles(PhraseSet(lists), PhraseSet(owner))


@cache
def subject_weights(path: Path = _WEIGHTS_PATH) -> Mapping[str, float]:
    """Read the weight of every subject cue.

    Raises:
        LexiconError: a cue is missing, unknown or not a number.
    """
    data = read_mapping(path, "subject weights file")
    check_keys(data, required=["weights"], path=str(path))
    weights = data["weights"]
    if not isinstance(weights, dict):
        raise LexiconError("expected a mapping", path=str(path), key="weights")
    check_keys(weights, required=CUES, path=str(path), where="weights.")
    for cue, weight in weights.items():
        if not isinstance(weight, int | float) or isinstance(weight, bool):
            raise LexiconError("expected a number", path=str(path), key=f"weights.{cue}")
    return {str(cue): float(weight) for cue, weight in weights.items()}
