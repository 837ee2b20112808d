"""Sources -> records: a registry of readers for files, folders, JSONL, URLs and feeds.

A reader turns one thing the user named into a stream of ``SourceRecord``s (decoded text or
HTML with whatever metadata the source declares) and ``SourceError``s (one per bad item, so the
batch goes on). Readers stream: a folder is walked lazily and a JSONL file read line by line,
so memory stays flat however large the corpus is. Turning a record into a cleaned ``Document``
is a pure function in ``airace.ingest.document``.

No single input may end a batch: each file, URL, JSONL line and feed item is read under a guard
(``guarded``) that turns whatever it raises into one failed item naming it. A folder is read
within itself: symbolic links are resolved, loops and second paths to a folder already read are
left out, and a link that leads outside the folder is refused unless ``follow_links`` is set.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal

from airace.errors import SourceError, describe_failure
from airace.ingest.dates import parse_date
from airace.ingest.decode import decode_bytes
from airace.ingest.warc import read_warc_file

if TYPE_CHECKING:
    import httpx

    from airace.config import Settings
    from airace.ingest.feeds import FeedItem

Media = Literal["text", "markdown", "html"]

# A feed item whose own content is at least this long is taken as the article; shorter ones
# (teasers) are fetched from their link.
_FULL_ITEM_CHARS = 1500


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """One document as read from its source, before cleaning."""

    origin: str
    body: str
    media: Media
    title: str | None = None
    published: date | None = None
    language: str | None = None


Item = SourceRecord | SourceError
FileReader = Callable[[Path, "Settings"], Iterator[Item]]


def _read_bytes(path: Path, settings: Settings) -> bytes:
    """Read a whole file, refusing ones over the size limit before reading them."""
    try:
        size = path.stat().st_size
        if size > settings.max_bytes:
            raise SourceError(
                f"file is {size / 1e6:.1f} MB, over the {settings.max_bytes / 1e6:g} MB limit",
                path=str(path),
                hint="raise the limit with --max-bytes or AIRACE_MAX_BYTES",
            )
        return path.read_bytes()
    except OSError as error:
        raise SourceError(f"cannot read file: {error.strerror}", path=str(path)) from error


def _whole_file_reader(media: Media) -> FileReader:
    """Return a reader that takes a whole file as one document of the given media."""

    def read(path: Path, settings: Settings) -> Iterator[Item]:
        origin = str(path)
        try:
            yield SourceRecord(origin, decode_bytes(_read_bytes(path, settings), origin), media)
        except SourceError as error:
            yield error

    return read


read_text_file = _whole_file_reader("text")
read_markdown_file = _whole_file_reader("markdown")
read_html_file = _whole_file_reader("html")


def guarded(items: Iterator[Item], origin: str) -> Iterator[Item]:
    """Yield a reader's items; whatever it raises becomes one last failed item naming
    ``origin``, so that one input cannot end the batch."""
    try:
        yield from items
    except Exception as error:
        yield SourceError(describe_failure(error), path=origin)


def attempt(make: Callable[[], SourceRecord], origin: str, line: int | None = None) -> Item:
    """Make one record; whatever goes wrong becomes a failed item naming its place."""
    try:
        return make()
    except SourceError as error:
        return error
    except Exception as error:  # deep nesting, odd values: this item fails, not the file
        return SourceError(describe_failure(error), path=origin, line=line)


_TAG = re.compile(r"<[A-Za-z!/][^<>]{0,2000}>")


def content_record(
    origin: str, content: str, title: str | None, published: date | None
) -> SourceRecord:
    """A feed item's own content as a record, whatever its shape: a whole page goes to the
    HTML reader, an HTML fragment (a paragraph or two) is read as text, plain text as is."""
    from airace.ingest.html import fragment_text

    if _looks_like_html(content):
        return SourceRecord(origin, content, "html", title=title, published=published)
    body = fragment_text(content, origin) if _TAG.search(content) else content
    return SourceRecord(origin, body, "text", title=title, published=published)


def read_feed_file(path: Path, settings: Settings) -> Iterator[Item]:
    """Read a saved RSS/Atom file: each item with its own content becomes a document."""
    from airace.ingest.feeds import parse_feed

    origin = str(path)
    try:
        items = parse_feed(_read_bytes(path, settings), origin)
    except SourceError as error:
        yield error
        return
    for number, item in enumerate(items, 1):
        where = item.link or f"{origin}#item{number}"
        if item.content:
            published = parse_date(item.published) if item.published else None
            content = item.content
            yield attempt(partial(content_record, where, content, item.title, published), where)
        else:
            yield SourceError("feed item has no content", path=f"{origin}#item{number}")


_JSONL_FIELDS = {"url": str, "title": str, "text": str, "published": str, "lang": str}


def read_jsonl_file(path: Path, settings: Settings) -> Iterator[Item]:
    """Read a JSONL file of {url, title, text, published, lang} objects, one per line."""
    origin = str(path)
    try:
        handle = path.open("rb")
    except OSError as error:
        yield SourceError(f"cannot read file: {error.strerror}", path=origin)
        return
    with handle:
        for number, raw in _bounded_lines(handle, settings.max_bytes):
            if raw is None:
                yield SourceError("line is over the size limit", path=origin, line=number)
                continue
            if not raw.strip():
                continue
            yield attempt(partial(_jsonl_record, raw, origin, number, settings), origin, number)


def _bounded_lines(handle: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """Yield (number, line) for each line of a binary file; a line over ``limit`` bytes comes
    as None, and is skipped in chunks, so that no line costs more memory than the limit."""
    number = 0
    while raw := handle.readline(limit + 1):
        number += 1
        if len(raw) <= limit or raw.endswith(b"\n"):
            yield number, raw if len(raw) <= limit else None
            continue
        while (rest := handle.readline(1 << 20)) and not rest.endswith(b"\n"):
            pass
        yield number, None


def _jsonl_record(raw: bytes, origin: str, number: int, settings: Settings) -> SourceRecord:
    """Validate one JSONL line and turn it into a record."""
    if len(raw) > settings.max_bytes:
        raise SourceError("line is over the size limit", path=origin, line=number)
    try:
        value = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise SourceError(f"invalid JSON: {error}", path=origin, line=number) from error
    if not isinstance(value, dict):
        raise SourceError("expected a JSON object", path=origin, line=number)
    for key, kind in _JSONL_FIELDS.items():
        if value.get(key) is not None and not isinstance(value[key], kind):
            raise SourceError("must be a string", path=origin, line=number, key=key)
    text = value.get("text")
    if not text or not text.strip():
        raise SourceError("missing or empty", path=origin, line=number, key="text")
    published = None
    if value.get("published"):
        published = parse_date(value["published"])
        if published is None:
            raise SourceError("not a date", path=origin, line=number, key="published")
    return SourceRecord(
        origin=value.get("url") or f"{origin}#L{number}",
        body=text,
        media="html" if _looks_like_html(text) else "text",
        title=value.get("title"),
        published=published,
        language=(value.get("lang") or None),
    )


def _looks_like_html(text: str) -> bool:
    """Tell whether a text field holds an HTML page rather than plain text."""
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head


# Extension -> reader. Files found in a folder are read only when their extension is here;
# a file named on the command line is read as text when its extension is unknown.
FILE_READERS: dict[str, FileReader] = {
    ".txt": read_text_file,
    ".text": read_text_file,
    ".md": read_markdown_file,
    ".markdown": read_markdown_file,
    ".html": read_html_file,
    ".htm": read_html_file,
    ".xhtml": read_html_file,
    ".jsonl": read_jsonl_file,
    ".ndjson": read_jsonl_file,
    ".rss": read_feed_file,
    ".atom": read_feed_file,
    ".xml": read_feed_file,
    ".warc": read_warc_file,
    ".warc.gz": read_warc_file,
}


def file_kind(path: Path) -> str:
    """The extension that picks a file's reader: ``.warc.gz`` counts as one."""
    name = path.name.lower()
    return ".warc.gz" if name.endswith(".warc.gz") else Path(name).suffix


def _walk(folder: Path, follow_links: bool = False) -> Iterator[Path | SourceError]:
    """Yield the readable files under a folder, recursively, in a stable order, lazily, and
    an error for each thing in it that cannot be read: a folder without permission, a link
    loop, a link that leads outside the folder (unless ``follow_links``)."""
    yield from _walk_within(folder, folder.resolve(), follow_links, set())


def _walk_within(
    folder: Path, root: Path, follow_links: bool, seen: set[tuple[int, int]]
) -> Iterator[Path | SourceError]:
    try:
        info = folder.stat()
        if (info.st_dev, info.st_ino) in seen:  # a loop, or a second link to a folder read
            return
        seen.add((info.st_dev, info.st_ino))
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as error:
        yield SourceError(f"cannot read folder: {describe_failure(error)}", path=str(folder))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()  # these follow links
            wanted = is_dir or (entry.is_file() and file_kind(path) in FILE_READERS)
            if wanted and entry.is_symlink() and not follow_links:
                target = path.resolve(strict=True)
                if not target.is_relative_to(root):
                    yield SourceError(
                        f"a link to {target}, outside the folder: not read",
                        path=str(path),
                        hint="pass --follow-links (AIRACE_FOLLOW_LINKS=1) to read it",
                    )
                    continue
        except (OSError, RuntimeError) as error:  # RuntimeError: a link loop (Python < 3.13)
            reason = "a link loop" if _is_loop(error) else describe_failure(error)
            yield SourceError(f"cannot read: {reason}", path=str(path))
            continue
        if is_dir:
            yield from _walk_within(path, root, follow_links, seen)
        elif wanted:
            yield path


def _is_loop(error: BaseException) -> bool:
    import errno

    return isinstance(error, RuntimeError) or getattr(error, "errno", None) == errno.ELOOP


def count_items(spec: str, settings: Settings) -> int | None:
    """Count the items a source would yield, for a progress total over the whole corpus:
    a JSONL file counts its lines, a WARC file its pages, a feed its items, any other file
    one. None for URLs (unknown until fetched). Counting reads files but never cleans or
    extracts, so it costs little beside the run it measures."""
    if spec.startswith(("http://", "https://")):
        return None
    path = Path(spec)
    try:
        files = _walk(path, settings.follow_links) if path.is_dir() else iter([path])
        return sum(1 if isinstance(f, SourceError) else _count_file(f, settings) for f in files)
    except OSError:
        return 1  # the run itself reports the path


def _count_file(path: Path, settings: Settings) -> int:
    kind = file_kind(path)
    try:
        if kind == ".jsonl":
            return _count_lines(path)
        if kind in (".warc", ".warc.gz"):
            from airace.ingest.warc import count_pages

            return count_pages(path)
        if FILE_READERS.get(kind) is read_feed_file:
            return sum(1 for _ in read_feed_file(path, settings))
    except OSError:
        pass  # the run itself reports the file
    return 1


def _count_lines(path: Path, chunk_size: int = 1 << 20) -> int:
    """Non-blank lines, read in chunks so that a huge line costs no memory."""
    lines = 0
    blank = True  # the line being read has only whitespace so far
    with path.open("rb") as handle:
        while chunk := handle.read(chunk_size):
            *ended, rest = chunk.split(b"\n")
            for part in ended:
                lines += not (blank and not part.strip())
                blank = True
            blank = blank and not rest.strip()
    return lines + (not blank)


def read_file(path: Path, settings: Settings) -> Iterator[Item]:
    """Read one file with the reader its extension names (text by default)."""
    reader = FILE_READERS.get(file_kind(path), read_text_file)
    return reader(path, settings)


def read_source(
    spec: str, settings: Settings, *, client: httpx.Client | None = None
) -> Iterator[Item]:
    """Read everything one command-line source names: a file, a folder, a URL or a feed URL."""
    if spec.startswith(("http://", "https://")):
        yield from guarded(read_url(spec, settings, client=client), spec)
        return
    if "://" in spec:
        yield SourceError("unsupported scheme: only files, http and https", path=spec)
        return
    path = Path(spec)
    try:
        mode = path.stat().st_mode  # through links: a path named by the user is followed
    except FileNotFoundError:
        yield SourceError("no such file or folder", path=spec)
        return
    except (OSError, RuntimeError) as error:
        reason = "a link loop" if _is_loop(error) else describe_failure(error)
        yield SourceError(f"cannot open: {reason}", path=spec)
        return
    if stat.S_ISDIR(mode):
        for found in _walk(path, settings.follow_links):
            if isinstance(found, SourceError):
                yield found
            else:
                yield from guarded(read_file(found, settings), str(found))
    elif stat.S_ISREG(mode):
        yield from guarded(read_file(path, settings), spec)
    else:
        yield SourceError("not a regular file or folder", path=spec)


def read_url(url: str, settings: Settings, *, client: httpx.Client | None = None) -> Iterator[Item]:
    """Fetch a URL: a feed yields its items, a page yields itself."""
    from airace.ingest.feeds import looks_like_feed, parse_feed
    from airace.ingest.fetch import fetch

    try:
        page = fetch(url, settings, client=client)
        if looks_like_feed(page.body, page.content_type):
            items = parse_feed(page.body, page.url)
        else:
            yield _page_record(url, page.body, page.content_type, page.charset)
            return
    except SourceError as error:
        yield error
        return
    for number, item in enumerate(items, 1):
        origin = item.link or f"{page.url}#item{number}"
        yield from guarded(_feed_item(item, origin, settings, client), origin)


def _feed_item(
    item: FeedItem, origin: str, settings: Settings, client: httpx.Client | None
) -> Iterator[Item]:
    """A fetched feed's item: its own content when it is the whole article (or there is no
    link), else the page it links to (a teaser is not the article: when the page cannot be
    had, the item fails, naming the link)."""
    from airace.ingest.fetch import fetch

    published = parse_date(item.published) if item.published else None
    content = item.content
    if content and (len(content) >= _FULL_ITEM_CHARS or not item.link):
        yield content_record(origin, content, item.title, published)
        return
    if not item.link:
        yield SourceError("feed item has neither content nor link", path=origin)
        return
    try:
        linked = fetch(item.link, settings, client=client)
        record = _page_record(item.link, linked.body, linked.content_type, linked.charset)
    except SourceError as error:
        yield error
        return
    yield SourceRecord(
        record.origin,
        record.body,
        record.media,
        title=record.title or item.title,
        published=published,
    )


def _page_record(
    url: str, body: bytes, content_type: str | None, charset: str | None
) -> SourceRecord:
    """Turn a fetched page into a record by its content type."""
    text = decode_bytes(body, url, declared=charset)
    if content_type in (None, "text/html", "application/xhtml+xml") or _looks_like_html(text):
        return SourceRecord(url, text, "html")
    if content_type in ("text/plain", "text/markdown"):
        return SourceRecord(url, text, "markdown" if content_type == "text/markdown" else "text")
    raise SourceError(f"unsupported content type {content_type}", path=url)
