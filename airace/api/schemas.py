"""What the API reads and writes: request bodies as pydantic models, responses as plain JSON.

Responses are the service layer's dataclasses turned into JSON-ready data by ``plain``: dates as
ISO strings, enums as their values, and NaN (a score that does not exist) as null, because JSON
has no NaN.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field, HttpUrl, model_validator

from airace.jsondata import plain as plain  # re-exported: the routes import it from here


class IngestRequest(BaseModel):
    """A document to ingest: its text, or a URL to fetch (exactly one of them)."""

    text: str | None = Field(default=None, min_length=1, description="The document's text.")
    url: HttpUrl | None = Field(default=None, description="An http(s) page or feed to fetch.")
    title: str | None = Field(default=None, max_length=500)
    language: Literal["vi", "en"] | None = Field(
        default=None, description="Detected from the text when absent."
    )
    published: date | None = None
    media: Literal["text", "markdown", "html"] = "text"
    origin: str | None = Field(
        default=None, max_length=2000, description="Where the text came from (kept as its origin)."
    )

    @model_validator(mode="after")
    def one_source(self) -> IngestRequest:
        if (self.text is None) == (self.url is None):
            raise ValueError("give either text or url")
        return self


class ReviewRequest(BaseModel):
    """A decision on a claim: accept, reject, or correct some of its fields."""

    decision: Literal["accept", "reject", "correct"]
    subject: str | None = Field(default=None, max_length=200)
    metric: str | None = Field(default=None, max_length=100)
    value: float | None = Field(default=None, allow_inf_nan=False)
    value_max: float | None = Field(default=None, allow_inf_nan=False)
    unit: str | None = Field(default=None, max_length=50)
    as_of: str | None = Field(default=None, max_length=10)
    note: str | None = Field(default=None, max_length=2000)

    @model_validator(mode="after")
    def ordered_range(self) -> ReviewRequest:
        if self.value is not None and self.value_max is not None and self.value_max < self.value:
            raise ValueError("value_max must not be below value")
        return self


class ScenarioRequest(BaseModel):
    """What-if changes, and optionally the ranking parameters to apply them to."""

    changes: list[str] = Field(min_length=1, max_length=50, examples=[["KR.gpu_count += 10000"]])
    per_capita: bool = False
    weights: str | None = Field(default=None, max_length=500, examples=["infrastructure=2"])
