"""Settings: one class, read from ``AIRACE_*`` environment variables, cached per process."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything a user can configure, with defaults that work out of the box."""

    model_config = SettingsConfigDict(env_prefix="AIRACE_", extra="ignore")

    db: str = Field(
        default="airace.db",
        description="Database: a SQLite file path or a SQLAlchemy URL "
        "(sqlite:///path.db, postgresql://user@host/dbname).",
    )
    max_bytes: int = Field(
        default=20 * 1024 * 1024,
        gt=0,
        description="Largest file or HTTP response ingest accepts, in bytes.",
    )
    fetch_timeout: float = Field(
        default=15.0, gt=0, description="Seconds to wait for a URL to connect or send data."
    )
    fetch_deadline: float = Field(
        default=60.0,
        gt=0,
        description="Seconds one fetch may take in all (redirects, headers and body), however "
        "steadily a slow server keeps sending.",
    )
    max_redirects: int = Field(
        default=5, ge=0, description="How many HTTP redirects a fetch follows before giving up."
    )
    allow_private: bool = Field(
        default=False,
        description="Allow fetching URLs on private, loopback and link-local addresses. Off so "
        "that ingest cannot be turned against an internal network.",
    )
    follow_links: bool = Field(
        default=False,
        description="Read symbolic links in a folder that point outside it. Off so that a "
        "link in a corpus cannot make airace read (and serve) a file elsewhere on the system.",
    )
    user_agent: str = Field(
        default="airace/0.1 (+https://github.com/airace)",
        description="User-Agent header sent with every fetch.",
    )
    token: str | None = Field(
        default=None,
        description="Secret that write requests to the API must send as 'Authorization: Bearer "
        "<token>'. Unset: the API's write endpoints (ingest, review, scenario) are disabled.",
    )
    max_fetches: int = Field(
        default=4,
        gt=0,
        description="URL fetches the API runs at once; more answer 503 at once, so that slow "
        "servers cannot tie up the workers that serve reads.",
    )
    max_request_bytes: int = Field(
        default=1024 * 1024,
        gt=0,
        description="Largest request body the API accepts, in bytes (ingested text included).",
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings; tests call ``get_settings.cache_clear()``."""
    return Settings()
