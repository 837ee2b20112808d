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
    modality: (
        Literal["fact", "estimate", "holds", "delivered", "order", "plan", "target", "forecast"]
        | None
    ) = Field(default=None, description="Correct the modality; fact for none.")
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


class ErrorDetail(BaseModel):
    """What went wrong: a stable code, a message, the field it is about, what to do."""

    code: str = Field(description="not_found, invalid, bad_request, unauthorized, ...")
    message: str
    key: str | None = Field(default=None, description="The field or parameter at fault.")
    hint: str | None = Field(default=None, description="What to do about it.")


class ErrorBody(BaseModel):
    """The one shape of every error the API answers with."""

    error: ErrorDetail


def _error(description: str) -> dict[str, object]:
    return {"model": ErrorBody, "description": description}


# The errors every route may answer with, for the OpenAPI schema.
READ_ERRORS: dict[int | str, dict[str, object]] = {
    400: _error("A parameter names something that cannot be used."),
    404: _error("No such document, claim or entity."),
    422: _error("A parameter or the body is invalid; the error names it."),
}
WRITE_ERRORS: dict[int | str, dict[str, object]] = {
    **READ_ERRORS,
    401: _error("The bearer token is missing or wrong."),
    403: _error("Writes are disabled: the server has no token."),
    413: _error("The body is over the size limit."),
    503: _error("Too many URL fetches are in progress; retry after the seconds it says."),
}
