"""The methodology: a versioned YAML file that says how indicator values become a ranking.

It follows the steps of the OECD/JRC Handbook on Constructing Composite Indicators: indicators
(each with a direction, a transformation and a denominator) are grouped into pillars; the
pillars are weighted into one index; imputation, normalisation, weighting and aggregation are
named choices; the Monte Carlo settings say which alternatives to draw; the maturity matrix says
which pillars make its two axes. Every ranking is reproducible from the data and this file, and
``digest`` stamps which file (and which overrides) a ranking was computed with.

The schema is closed: an unknown or missing key, an unknown choice, an indicator in no pillar or
in two, a weight that is not positive, all raise :class:`MethodologyError` naming the file and
the key path (``pillars.talent.weight``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from airace.errors import AiraceError

DIRECTIONS = {"higher": 1, "lower": -1}
TRANSFORMS = ("none", "log", "winsorise")
DENOMINATORS = ("none", "population", "gdp")
IMPUTATIONS = ("none", "pillar_mean", "group_mean")
NORMALISATIONS = ("minmax", "zscore", "rank", "leader")
WEIGHTINGS = ("equal", "custom", "pca")
AGGREGATIONS = ("arithmetic", "geometric")

# Defaults for keys a methodology file may leave out; the default file states them all anyway.
_DEFAULT_WINSOR = (5.0, 95.0)
_DEFAULT_UNCERTAINTY: Mapping[str, Any] = {
    "interval": 0.9,
    "weight_concentration": 20.0,
    "normalisations": list(NORMALISATIONS),
    "imputations": list(IMPUTATIONS),
    "aggregations": list(AGGREGATIONS),
    "vary_conflicts": True,
    "conflict_draws": 25,
}


class MethodologyError(AiraceError):
    """A methodology file or override is malformed: unknown key, unknown choice, bad weight..."""


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    """How one indicator enters the index.

    ``direction`` is +1 when higher is better, -1 when lower is better (ranks). ``transform``
    ``log`` takes log1p of the (non-negative) value, ``winsorise`` clips to the ``winsor``
    percentiles. ``denominator`` divides by population or GDP in USD before the transform.
    ``scale_free`` marks ranks, scores and shares, which per-capita views never divide.
    ``of`` names the indicator whose observations feed this one when they differ, so that one
    figure can count twice, in absolute terms and per person (``notable_models_per_person``
    of ``notable_models`` with ``denominator: population``).
    """

    id: str
    pillar: str
    direction: int
    transform: str = "none"
    winsor: tuple[float, float] = _DEFAULT_WINSOR
    denominator: str = "none"
    weight: float = 1.0
    scale_free: bool = False
    of: str | None = None

    @property
    def source(self) -> str:
        """The indicator whose observations this one reads (itself unless ``of`` is set)."""
        return self.of or self.id


@dataclass(frozen=True, slots=True)
class PillarSpec:
    """A pillar: its display name, its weight in the index and its indicators, in order."""

    id: str
    name: str
    weight: float
    indicators: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class UncertaintySpec:
    """Monte Carlo settings: how many replications, and which method choices each one draws."""

    replications: int
    seed: int
    interval: float
    weight_concentration: float
    normalisations: tuple[str, ...]
    imputations: tuple[str, ...]
    aggregations: tuple[str, ...]
    vary_conflicts: bool
    conflict_draws: int = 25


@dataclass(frozen=True, slots=True)
class Archetype:
    """A readiness tier of the maturity matrix: the countries whose index score reaches
    ``threshold`` and not the threshold of the tier above."""

    id: str
    name: str
    threshold: float


@dataclass(frozen=True, slots=True)
class MatrixSpec:
    """The maturity matrix: readiness tiers by index score (highest first), and the two axes
    that place each country on the chart (the pillars averaged into each)."""

    x_label: str
    x_pillars: tuple[str, ...]
    y_label: str
    y_pillars: tuple[str, ...]
    archetypes: tuple[Archetype, ...]

    def tier(self, score: float) -> Archetype:
        """The tier of an index score (the lowest tier for a score below every threshold)."""
        for archetype in self.archetypes:
            if score >= archetype.threshold:
                return archetype
        return self.archetypes[-1]


@dataclass(frozen=True, slots=True)
class Methodology:
    """A complete, validated methodology. Indicators are ordered pillar by pillar."""

    name: str
    version: str
    description: str
    indicators: tuple[IndicatorSpec, ...]
    pillars: tuple[PillarSpec, ...]
    imputation: str
    normalisation: str
    weights: str
    aggregation: str
    min_coverage: float
    uncertainty: UncertaintySpec
    matrix: MatrixSpec
    digest: str
    population_floor: float = 0.0
    min_reporting: int = 0
    cap_imputed: bool = True

    @property
    def source_ids(self) -> tuple[str, ...]:
        """The indicators whose observations the index reads, each once, in column order."""
        return tuple(dict.fromkeys(spec.source for spec in self.indicators))

    @property
    def indicator_ids(self) -> tuple[str, ...]:
        """The indicator ids in the order of the index's columns."""
        return tuple(spec.id for spec in self.indicators)

    @property
    def pillar_ids(self) -> tuple[str, ...]:
        """The pillar ids in order."""
        return tuple(pillar.id for pillar in self.pillars)

    def with_weights(self, pillar_weights: Mapping[str, float]) -> Methodology:
        """Return a copy with some pillar weights overridden (the CLI's ``--weights``).

        Under ``weights: equal`` the override switches to ``custom`` with every indicator
        weight 1, so indicators stay equal within their pillar and the new pillar weights count.

        Args:
            pillar_weights: pillar id -> new weight (> 0); pillars left out keep theirs.

        Returns:
            The new methodology, with a digest derived from this one and the override.

        Raises:
            MethodologyError: an unknown pillar (``key`` names it) or a weight that is not a
                positive number.
        """
        known = {pillar.id for pillar in self.pillars}
        for pillar_id, weight in pillar_weights.items():
            if pillar_id not in known:
                raise MethodologyError(
                    f"unknown pillar {pillar_id!r}",
                    key=pillar_id,
                    hint=f"pillars are {', '.join(sorted(known))}",
                )
            if not _positive(weight):
                raise MethodologyError(
                    f"weight of {pillar_id!r} must be a number in (0, {MAX_WEIGHT:g}]",
                    key=pillar_id,
                )
        pillars = tuple(
            dataclasses.replace(pillar, weight=float(pillar_weights.get(pillar.id, pillar.weight)))
            for pillar in self.pillars
        )
        indicators = self.indicators
        scheme = self.weights
        if scheme == "equal":
            scheme = "custom"
            indicators = tuple(dataclasses.replace(spec, weight=1.0) for spec in indicators)
        note = ",".join(f"{key}={float(value)!r}" for key, value in sorted(pillar_weights.items()))
        return dataclasses.replace(
            self,
            pillars=pillars,
            indicators=indicators,
            weights=scheme,
            digest=_derived_digest(self.digest, f"weights:{note}"),
        )

    def per_capita(self) -> Methodology:
        """Return a copy where every indicator that is not scale-free and has no denominator is
        divided by population (the CLI's ``--per-capita``)."""
        indicators = tuple(
            dataclasses.replace(spec, denominator="population")
            if not spec.scale_free and spec.denominator == "none"
            else spec
            for spec in self.indicators
        )
        return dataclasses.replace(
            self, indicators=indicators, digest=_derived_digest(self.digest, "per_capita")
        )

    def replace(self, **changes: Any) -> Methodology:
        """Return a copy with fields replaced (``normalisation="rank"``, ``min_coverage=0.5``).

        The digest is derived from this one and the changes unless ``digest`` is given.

        Raises:
            MethodologyError: an unknown field or an unknown choice for a method field.
        """
        fields = {field.name for field in dataclasses.fields(self)}
        for key, value in changes.items():
            if key not in fields:
                raise MethodologyError(f"unknown methodology field {key!r}", key=key)
            allowed = _CHOICE_FIELDS.get(key)
            if allowed is not None and value not in allowed:
                raise MethodologyError(
                    f"unknown {key} {value!r}", key=key, hint=f"choose one of {', '.join(allowed)}"
                )
        if "min_coverage" in changes and not 0 <= float(changes["min_coverage"]) <= 1:
            raise MethodologyError("min_coverage must be within [0, 1]", key="min_coverage")
        if "digest" not in changes:
            note = ",".join(f"{key}={changes[key]!r}" for key in sorted(changes))
            changes["digest"] = _derived_digest(self.digest, note)
        return dataclasses.replace(self, **changes)


_CHOICE_FIELDS: Mapping[str, tuple[str, ...]] = {
    "imputation": IMPUTATIONS,
    "normalisation": NORMALISATIONS,
    "weights": WEIGHTINGS,
    "aggregation": AGGREGATIONS,
}


def load_methodology(path: str | Path | None = None) -> Methodology:
    """Read and validate a methodology file.

    Args:
        path: a YAML file; None reads the bundled ``airace/data/methodology/default.yaml``
            (loaded once per process).

    Returns:
        The validated methodology, stamped with the digest of the file's bytes.

    Raises:
        MethodologyError: the file is missing or not YAML, or breaks the schema; the error names
            the file and the key path.
    """
    if path is None:
        return _default_methodology()
    return _read_methodology(Path(path))


def parse_weights(text: str) -> dict[str, float]:
    """Read pillar weights written as the CLI takes them: ``infrastructure=2,talent=1``.

    Args:
        text: comma-separated ``pillar=weight`` pairs.

    Returns:
        pillar id -> weight, in the order given.

    Raises:
        MethodologyError: a pair without ``=``, a weight that is not a positive number, or a
            pillar named twice.
    """
    hint = "write pillar=weight pairs separated by commas, e.g. infrastructure=2,talent=1"
    weights: dict[str, float] = {}
    pairs = [pair.strip() for pair in text.split(",")]
    if not any(pairs):
        raise MethodologyError("no weights given", key="weights", hint=hint)
    for pair in pairs:
        pillar, sep, number = (part.strip() for part in pair.partition("="))
        if not sep or not pillar:
            raise MethodologyError(f"cannot read weight {pair!r}", key="weights", hint=hint)
        try:
            weight = float(number)
        except ValueError:
            raise MethodologyError(
                f"weight {number!r} of {pillar!r} is not a number", key=pillar, hint=hint
            ) from None
        if not _positive(weight):
            raise MethodologyError(
                f"weight of {pillar!r} must be positive, at most {MAX_WEIGHT:g}",
                key=pillar,
                hint=hint,
            )
        if pillar in weights:
            raise MethodologyError(f"pillar {pillar!r} given twice", key=pillar, hint=hint)
        weights[pillar] = weight
    return weights


@lru_cache(maxsize=1)
def _default_methodology() -> Methodology:
    """Read the bundled default methodology (cached: it never changes within a process)."""
    from importlib import resources

    resource = resources.files("airace") / "data" / "methodology" / "default.yaml"
    with resources.as_file(resource) as path:
        return _read_methodology(Path(path))


def _read_methodology(path: Path) -> Methodology:
    """Read a methodology file and validate it against the closed schema."""
    import yaml

    where = str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise MethodologyError(f"cannot read methodology: {error.strerror}", path=where) from None
    try:
        document = yaml.safe_load(data)
    except yaml.YAMLError as error:
        raise MethodologyError(f"invalid YAML: {error}", path=where) from None
    if not isinstance(document, dict):
        raise MethodologyError("expected a mapping at the top level", path=where)
    digest = hashlib.sha256(data).hexdigest()[:12]
    return _Reader(where).methodology(document, digest)


class _Reader:
    """Validate a parsed methodology document; every error names the file and key path."""

    def __init__(self, path: str) -> None:
        self.path = path

    def error(self, message: str, key: str, hint: str | None = None) -> MethodologyError:
        return MethodologyError(message, path=self.path, key=key, hint=hint)

    def mapping(self, value: Any, key: str) -> Mapping[str, Any]:
        if not isinstance(value, dict) or not value:
            raise self.error("expected a non-empty mapping", key)
        return value

    def keys(
        self,
        data: Mapping[str, Any],
        key: str,
        required: tuple[str, ...],
        optional: tuple[str, ...],
    ) -> None:
        prefix = f"{key}." if key else ""
        for name in data:
            if name not in required and name not in optional:
                allowed = ", ".join((*required, *optional))
                raise self.error("unknown key", f"{prefix}{name}", f"allowed keys: {allowed}")
        for name in required:
            if name not in data:
                raise self.error("missing key", f"{prefix}{name}")

    def text(self, value: Any, key: str) -> str:
        if not isinstance(value, str | int | float) or isinstance(value, bool) or value == "":
            raise self.error("expected a non-empty text", key)
        return str(value)

    def number(self, value: Any, key: str, *, low: float, high: float, open_low: bool) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            raise self.error("expected a number", key)
        number = float(value)
        below = number <= low if open_low else number < low
        if below or number > high:
            left = "(" if open_low else "["
            raise self.error(f"{number!r} is outside {left}{low:g}, {high:g}]", key)
        return number

    def count(self, value: Any, key: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.error("expected a whole number, 0 or more", key)
        return value

    def weight(self, value: Any, key: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not _positive(value):
            raise self.error(f"weight must be a number in (0, {MAX_WEIGHT:g}]", key)
        return float(value)

    def choice(self, value: Any, key: str, allowed: tuple[str, ...] | Mapping[str, Any]) -> str:
        if value not in allowed:
            raise self.error(f"unknown value {value!r}", key, f"choose one of {', '.join(allowed)}")
        return str(value)

    def flag(self, value: Any, key: str) -> bool:
        if not isinstance(value, bool):
            raise self.error("expected true or false", key)
        return value

    def names(self, value: Any, key: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            raise self.error("expected a non-empty list", key)
        items = tuple(self.text(item, f"{key}[{number}]") for number, item in enumerate(value))
        if len(set(items)) != len(items):
            raise self.error("an entry is listed twice", key)
        return items

    def choices(self, value: Any, key: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
        items = self.names(value, key)
        for number, item in enumerate(items):
            self.choice(item, f"{key}[{number}]", allowed)
        return items

    def methodology(self, data: Mapping[str, Any], digest: str) -> Methodology:
        self.keys(
            data,
            "",
            required=(
                "name",
                "version",
                "indicators",
                "pillars",
                "imputation",
                "normalisation",
                "weights",
                "aggregation",
                "min_coverage",
                "uncertainty",
                "matrix",
            ),
            optional=("description", "population_floor", "min_reporting", "cap_imputed"),
        )
        raw_indicators = self.mapping(data["indicators"], "indicators")
        pillars = self.pillars(self.mapping(data["pillars"], "pillars"), raw_indicators)
        pillar_of = {ind: pillar.id for pillar in pillars for ind in pillar.indicators}
        for indicator in raw_indicators:
            if indicator not in pillar_of:
                raise self.error(
                    "indicator is in no pillar", f"indicators.{indicator}", "list it in a pillar"
                )
        specs = {
            ind: self.indicator(ind, item, pillar_of[ind]) for ind, item in raw_indicators.items()
        }
        return Methodology(
            name=self.text(data["name"], "name"),
            version=self.text(data["version"], "version"),
            description=str(data.get("description") or "").strip(),
            indicators=tuple(specs[ind] for pillar in pillars for ind in pillar.indicators),
            pillars=pillars,
            imputation=self.choice(data["imputation"], "imputation", IMPUTATIONS),
            normalisation=self.choice(data["normalisation"], "normalisation", NORMALISATIONS),
            weights=self.choice(data["weights"], "weights", WEIGHTINGS),
            aggregation=self.choice(data["aggregation"], "aggregation", AGGREGATIONS),
            min_coverage=self.number(
                data["min_coverage"], "min_coverage", low=0, high=1, open_low=False
            ),
            uncertainty=self.uncertainty(self.mapping(data["uncertainty"], "uncertainty")),
            matrix=self.matrix(self.mapping(data["matrix"], "matrix"), pillars),
            digest=digest,
            population_floor=self.number(
                data.get("population_floor", 0),
                "population_floor",
                low=0,
                high=1e10,
                open_low=False,
            ),
            min_reporting=self.count(data.get("min_reporting", 0), "min_reporting"),
            cap_imputed=self.flag(data.get("cap_imputed", True), "cap_imputed"),
        )

    def pillars(
        self, data: Mapping[str, Any], indicators: Mapping[str, Any]
    ) -> tuple[PillarSpec, ...]:
        pillars = []
        seen: dict[str, str] = {}
        for pillar_id, item in data.items():
            key = f"pillars.{pillar_id}"
            item = self.mapping(item, key)
            self.keys(item, key, required=("name", "weight", "indicators"), optional=())
            members = self.names(item["indicators"], f"{key}.indicators")
            for indicator in members:
                if indicator not in indicators:
                    raise self.error(
                        f"unknown indicator {indicator!r}",
                        f"{key}.indicators",
                        "define it under indicators",
                    )
                if indicator in seen:
                    raise self.error(
                        f"indicator {indicator!r} is also in pillar {seen[indicator]!r}",
                        f"{key}.indicators",
                        "an indicator belongs to exactly one pillar",
                    )
                seen[indicator] = str(pillar_id)
            pillars.append(
                PillarSpec(
                    id=str(pillar_id),
                    name=self.text(item["name"], f"{key}.name"),
                    weight=self.weight(item["weight"], f"{key}.weight"),
                    indicators=members,
                )
            )
        return tuple(pillars)

    def indicator(self, indicator: str, item: Any, pillar: str) -> IndicatorSpec:
        key = f"indicators.{indicator}"
        item = self.mapping(item, key)
        self.keys(
            item,
            key,
            required=("direction",),
            optional=("transform", "winsor", "denominator", "weight", "scale_free", "of"),
        )
        winsor = _DEFAULT_WINSOR
        if "winsor" in item:
            value = item["winsor"]
            if not isinstance(value, list) or len(value) != 2:
                raise self.error("expected two percentiles [low, high]", f"{key}.winsor")
            low, high = (
                self.number(v, f"{key}.winsor", low=0, high=100, open_low=False) for v in value
            )
            if low >= high:
                raise self.error("the low percentile must be below the high one", f"{key}.winsor")
            winsor = (low, high)
        return IndicatorSpec(
            id=str(indicator),
            pillar=pillar,
            direction=DIRECTIONS[self.choice(item["direction"], f"{key}.direction", DIRECTIONS)],
            transform=self.choice(item.get("transform", "none"), f"{key}.transform", TRANSFORMS),
            winsor=winsor,
            denominator=self.choice(
                item.get("denominator", "none"), f"{key}.denominator", DENOMINATORS
            ),
            weight=self.weight(item.get("weight", 1.0), f"{key}.weight"),
            scale_free=self.flag(item.get("scale_free", False), f"{key}.scale_free"),
            of=self.text(item["of"], f"{key}.of") if "of" in item else None,
        )

    def uncertainty(self, data: Mapping[str, Any]) -> UncertaintySpec:
        key = "uncertainty"
        optional = tuple(_DEFAULT_UNCERTAINTY)
        self.keys(data, key, required=("replications", "seed"), optional=optional)
        merged = {**_DEFAULT_UNCERTAINTY, **data}
        replications, seed = merged["replications"], merged["seed"]
        if isinstance(replications, bool) or not isinstance(replications, int) or replications < 1:
            raise self.error("expected a whole number of at least 1", f"{key}.replications")
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise self.error("expected a whole number of at least 0", f"{key}.seed")
        return UncertaintySpec(
            replications=replications,
            seed=seed,
            interval=self.number(
                merged["interval"], f"{key}.interval", low=0, high=1, open_low=True
            ),
            weight_concentration=self.weight(
                merged["weight_concentration"], f"{key}.weight_concentration"
            ),
            normalisations=self.choices(
                merged["normalisations"], f"{key}.normalisations", NORMALISATIONS
            ),
            imputations=self.choices(merged["imputations"], f"{key}.imputations", IMPUTATIONS),
            aggregations=self.choices(merged["aggregations"], f"{key}.aggregations", AGGREGATIONS),
            vary_conflicts=self.flag(merged["vary_conflicts"], f"{key}.vary_conflicts"),
            conflict_draws=max(1, self.count(merged["conflict_draws"], f"{key}.conflict_draws")),
        )

    def matrix(self, data: Mapping[str, Any], pillars: tuple[PillarSpec, ...]) -> MatrixSpec:
        self.keys(data, "matrix", required=("x", "y", "tiers"), optional=())
        known = {pillar.id for pillar in pillars}
        axes = {}
        for axis in ("x", "y"):
            key = f"matrix.{axis}"
            item = self.mapping(data[axis], key)
            self.keys(item, key, required=("label", "pillars"), optional=())
            members = self.names(item["pillars"], f"{key}.pillars")
            for member in members:
                if member not in known:
                    raise self.error(f"unknown pillar {member!r}", f"{key}.pillars")
            axes[axis] = (self.text(item["label"], f"{key}.label"), members)
        tiers: list[Archetype] = []
        for tier_id, item in self.mapping(data["tiers"], "matrix.tiers").items():
            key = f"matrix.tiers.{tier_id}"
            item = self.mapping(item, key)
            self.keys(item, key, required=("name", "threshold"), optional=())
            threshold = item["threshold"]
            if isinstance(threshold, bool) or not isinstance(threshold, int | float):
                raise self.error("expected a number", f"{key}.threshold")
            if any(float(threshold) == tier.threshold for tier in tiers):
                raise self.error("two tiers have the same threshold", f"{key}.threshold")
            tiers.append(
                Archetype(str(tier_id), self.text(item["name"], f"{key}.name"), float(threshold))
            )
        if not tiers:
            raise self.error("at least one tier is needed", "matrix.tiers")
        tiers.sort(key=lambda tier: -tier.threshold)  # highest first, whatever the file's order
        (x_label, x_pillars), (y_label, y_pillars) = axes["x"], axes["y"]
        return MatrixSpec(
            x_label=x_label,
            x_pillars=x_pillars,
            y_label=y_label,
            y_pillars=y_pillars,
            archetypes=tuple(tiers),
        )


# Largest weight accepted: weights are relative, and sums of huge ones overflow to infinity.
MAX_WEIGHT = 1e6


def _positive(value: float) -> bool:
    """Tell whether a weight is a number above zero and at most ``MAX_WEIGHT``."""
    return math.isfinite(value) and 0 < value <= MAX_WEIGHT


def _derived_digest(digest: str, note: str) -> str:
    """Return the digest of a methodology changed from one with ``digest`` by ``note``."""
    return hashlib.sha256(f"{digest}\n{note}".encode()).hexdigest()[:12]
