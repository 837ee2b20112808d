"""RSS and Atom feeds -> items (link, title, date, content).

Feeds are untrusted XML, so the parser is hardened: no entity expansion, no DTD loading, no
network, no huge trees; a billion-laughs document or an external entity does nothing. Elements
are matched by local name, so RSS 2.0, RSS 1.0 (RDF) and Atom with any namespace prefixes all
read the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from airace.errors import SourceError

FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml"}
XML_TYPES = {"application/xml", "text/xml"}
_FEED_ROOTS = (b"<rss", b"<feed", b"<rdf:rdf", b"<rdf")


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry of a feed; ``content`` is the longest of its content/description/summary."""

    link: str | None
    title: str | None
    published: str | None
    content: str | None


def _skip_prolog(data: bytes) -> bytes:
    """Drop a BOM, whitespace, the XML declaration, comments and a doctype from the start."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf").lstrip()
    while head.startswith((b"<?", b"<!--", b"<!DOCTYPE", b"<!doctype")):
        closer = b"-->" if head.startswith(b"<!--") else b">"
        end = head.find(closer)
        if end < 0:
            return b""
        head = head[end + len(closer) :].lstrip()
    return head


def looks_like_feed(data: bytes, content_type: str | None) -> bool:
    """Tell whether a response is (meant to be) an RSS or Atom feed.

    A feed media type, a generic XML media type, or a body that opens with a feed's root
    element all count; ``parse_feed`` then says whether it really is one.
    """
    if content_type in FEED_TYPES or content_type in XML_TYPES:
        return True
    return _skip_prolog(data).lower().startswith(_FEED_ROOTS)


def _local(element: Any) -> str:
    """Return an element's tag without its namespace."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _text(element: Any) -> str | None:
    """Return an element's stripped text content, None when empty."""
    text = "".join(element.itertext()).strip()
    return text or None


def _item(entry: Any, base: str | None) -> FeedItem:
    """Read one RSS item or Atom entry."""
    link = title = published = None
    contents: list[str] = []
    for child in entry:
        name = _local(child)
        if name == "title":
            title = _text(child)
        elif name == "link":
            href = child.get("href")
            rel = child.get("rel", "alternate")
            if href and rel == "alternate":
                link = href.strip()
            elif not href and link is None:
                link = _text(child)
        elif name in ("pubdate", "published", "date", "updated", "issued") and not published:
            published = _text(child)
        elif name in ("encoded", "content", "description", "summary"):
            value = _text(child)
            if value:
                contents.append(value)
    if link and base and base.startswith(("http://", "https://")):
        link = urljoin(base, link)
    return FeedItem(link, title, published, max(contents, key=len) if contents else None)


def parse_feed(data: bytes, origin: str) -> list[FeedItem]:
    """Parse an RSS 2.0, RSS 1.0 (RDF) or Atom feed.

    Args:
        data: the feed's bytes.
        origin: its URL or path; relative item links are resolved against a URL.

    Raises:
        SourceError: the data is not XML, or its root is not a feed.
    """
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        recover=False,
        remove_comments=True,
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except (etree.XMLSyntaxError, ValueError) as error:
        raise SourceError("not an RSS or Atom feed: not well-formed XML", path=origin) from error
    if root is None or _local(root) not in ("rss", "feed", "rdf"):
        raise SourceError("not an RSS or Atom feed", path=origin)
    if _local(root) == "rss":
        channel = next((c for c in root if _local(c) == "channel"), root)
        entries = [c for c in channel if _local(c) == "item"]
    else:
        wanted = "entry" if _local(root) == "feed" else "item"
        entries = [c for c in root if _local(c) == wanted]
    return [_item(entry, origin) for entry in entries]
