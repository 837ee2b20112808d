"""RSS and Atom feeds -> items (link, title, date, content).

Feeds come from anyone, so they are parsed as hostile XML: lxml with entity expansion, DTD
loading and network access off and its size limits on. A billion-laughs document stays a few
unexpanded references and an external entity (``<!ENTITY x SYSTEM "file:///...">``) reads
nothing. Elements are matched by local name, so RSS 2.0, RSS 1.0 (RDF) and Atom, with any
namespace prefixes, read the same way.

Feeds in the wild are often not quite XML: a bare ``&`` in a URL or an HTML entity such as
``&nbsp;`` that XML does not define. A document that fails to parse is repaired for just those
two faults and parsed again, strictly; lxml's own "recover" mode is not used because it silently
drops escaped markup (``&lt;b&gt;``) from the text it keeps.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.entities import name2codepoint
from typing import Any
from urllib.parse import urljoin

from airace.errors import SourceError

FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
XML_TYPES = frozenset({"application/xml", "text/xml"})

# A feed's root element, possibly namespace-prefixed: <rss, <feed, <rdf:RDF.
_FEED_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:rss|feed|rdf)[\s/>]", re.IGNORECASE)
# How far into a body the root element is looked for (past BOM, declaration, comments, doctype).
_SNIFF_BYTES = 4096
# An ampersand and the reference it may start; group 1 is None for a bare "&".
_REFERENCE = re.compile(rb"&(#[0-9]+;|#[xX][0-9a-fA-F]+;|([A-Za-z][A-Za-z0-9]*);)?")
_XML_ENTITIES = frozenset({b"lt", b"gt", b"amp", b"quot", b"apos"})
# Date elements, most wanted first: Atom, RSS 2.0, Dublin Core (RSS 1.0), Atom 0.3, then updates.
_DATE_NAMES = ("published", "pubdate", "date", "issued", "created", "updated", "modified")
_CONTENT_NAMES = frozenset({"encoded", "content", "description", "summary"})
_PAGE_TYPES = (None, "text/html", "application/xhtml+xml")


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One RSS item or Atom entry.

    ``published`` is the date string as the feed wrote it; ``content`` is the longest of the
    item's content:encoded, Atom content, description and summary (HTML or text).
    """

    link: str | None
    title: str | None
    published: str | None
    content: str | None


def _prolog_skipped(data: bytes) -> bytes:
    """Return the start of a body past its BOM, XML declaration, comments and doctype."""
    head = data[:_SNIFF_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    while head.startswith((b"<?", b"<!")):
        if head.startswith(b"<!--"):
            closer = b"-->"
        elif head.startswith(b"<!") and b"[" in head.split(b">", 1)[0]:
            closer = b"]>"  # a doctype with an internal subset holds ">" of its own
        else:
            closer = b">"
        end = head.find(closer)
        if end < 0:
            return b""
        head = head[end + len(closer) :].lstrip()
    return head


def looks_like_feed(data: bytes, content_type: str | None) -> bool:
    """Tell whether a response is (meant to be) an RSS or Atom feed.

    Args:
        data: the body, or its first few kilobytes.
        content_type: its media type, if known; parameters and case are ignored.

    Returns:
        True for a feed or generic XML media type, or a body whose first element (after an
        optional BOM, XML declaration, comments and doctype) is ``<rss``, ``<feed`` or
        ``<rdf:RDF``. ``parse_feed`` then says whether it really is a feed.
    """
    media = (content_type or "").partition(";")[0].strip().lower()
    if media in FEED_TYPES or media in XML_TYPES:
        return True
    return _FEED_ROOT.match(_prolog_skipped(data)) is not None


def parse_feed(data: bytes, origin: str) -> list[FeedItem]:
    """Parse an RSS 2.0, RSS 1.0 (RDF) or Atom feed into its items, in feed order.

    Args:
        data: the feed's bytes.
        origin: its URL or path; with an http(s) URL, relative links (and ``xml:base``) are
            resolved against it.

    Returns:
        The feed's items; empty for a feed without any.

    Raises:
        SourceError: the data is not well-formed XML (even after repairing bare ampersands
            and HTML entities), or its root element is not ``rss``, ``feed`` or ``RDF``.
    """
    root = _parse_xml(data, origin)
    kind = _local(root)
    if kind not in ("rss", "feed", "rdf"):
        raise SourceError("not an RSS or Atom feed", path=origin, hint=f"its root is <{kind}>")
    if kind == "rss":
        channel = next((child for child in root if _local(child) == "channel"), root)
        entries = [child for child in channel if _local(child) == "item"]
    else:
        wanted = "entry" if kind == "feed" else "item"
        entries = [child for child in root if _local(child) == wanted]
    return [_item(entry) for entry in entries]


def _parse_xml(data: bytes, origin: str) -> Any:
    """Parse untrusted XML without expanding entities; repair common faults once."""
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    base_url = origin if origin.startswith(("http://", "https://")) else None
    try:
        return etree.fromstring(data, parser=parser, base_url=base_url)
    except etree.XMLSyntaxError as error:
        first = error
    repaired = _repaired(data)
    if repaired != data:
        try:
            return etree.fromstring(repaired, parser=parser, base_url=base_url)
        except etree.XMLSyntaxError:
            pass
    raise SourceError(
        f"not an RSS or Atom feed: not well-formed XML ({first.msg})",
        path=origin,
        line=first.lineno or None,
    ) from first


def _repaired(data: bytes) -> bytes:
    """Escape bare ampersands and turn HTML entities into character references."""
    if b"\x00" in data[:4]:  # UTF-16 or UTF-32: byte patterns do not apply
        return data

    def fix(match: re.Match[bytes]) -> bytes:
        """Return the replacement for one ampersand and its reference."""
        if match.group(1) is None:
            return b"&amp;"
        name = match.group(2)
        if name is None or name in _XML_ENTITIES:
            return match.group(0)
        codepoint = name2codepoint.get(name.decode("ascii"))
        return b"&#%d;" % codepoint if codepoint else b"&amp;" + match.group(1)

    return _REFERENCE.sub(fix, data)


def _local(element: Any) -> str:
    """Return an element's tag without its namespace, lower-cased; "" for non-elements."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _flatten(element: Any) -> Iterator[str]:
    """Yield an element's text in document order, unescaping unexpanded entity references."""
    from lxml import etree

    yield element.text or ""
    for child in element:
        if child.tag is etree.Entity:
            yield html.unescape(child.text)  # "&nbsp;" -> "\xa0"; unknown names stay as written
        elif isinstance(child.tag, str):
            yield from _flatten(child)
        yield child.tail or ""


def _text(element: Any) -> str | None:
    """Return an element's stripped text (markup of XHTML content kept); None when empty."""
    if element.get("type") == "xhtml" and len(element):
        return _xhtml(element) or None
    return "".join(_flatten(element)).strip() or None


def _xhtml(element: Any) -> str:
    """Serialise Atom XHTML content as plain HTML, without its wrapping div or namespaces."""
    from copy import deepcopy

    from lxml import etree

    div = deepcopy(element[0] if _local(element[0]) == "div" else element)
    for node in div.iter():
        if isinstance(node.tag, str):
            node.tag = _local(node)
    etree.cleanup_namespaces(div)
    inner = (etree.tostring(child, encoding="unicode", method="html") for child in div)
    return ((div.text or "") + "".join(inner)).strip()


def _absolute(link: str, element: Any) -> str:
    """Resolve a link against the element's xml:base or the feed URL, when that is http(s)."""
    base = element.base
    if isinstance(base, str) and base.startswith(("http://", "https://")):
        return urljoin(base, link)
    return link


def _link(entry: Any) -> str | None:
    """Pick an entry's page link: an alternate href, else the RSS link, else a permalink guid."""
    alternates: list[tuple[str, str | None]] = []
    text_link = permalink = None
    for child in entry:
        name = _local(child)
        href = (child.get("href") or "").strip()
        if name == "link" and href:
            if child.get("rel", "alternate").strip().lower() == "alternate":
                alternates.append((_absolute(href, child), child.get("type")))
        elif name == "link" and text_link is None:
            text = _text(child)
            text_link = _absolute(text, child) if text else None
        elif name == "guid" and child.get("isPermaLink", "true").strip().lower() != "false":
            text = _text(child) or ""
            if text.startswith(("http://", "https://")) and permalink is None:
                permalink = text
    page = next((href for href, kind in alternates if kind in _PAGE_TYPES), None)
    return page or (alternates[0][0] if alternates else None) or text_link or permalink


def _item(entry: Any) -> FeedItem:
    """Read one RSS item or Atom entry."""
    title = None
    dates: dict[str, str] = {}
    contents: list[str] = []
    for child in entry:
        name = _local(child)
        if name == "title" and title is None:
            title = _text(child)
        elif name in _DATE_NAMES and name not in dates:
            value = _text(child)
            if value:
                dates[name] = value
        elif name in _CONTENT_NAMES:
            value = _text(child)
            if value:
                contents.append(value)
    published = next((dates[name] for name in _DATE_NAMES if name in dates), None)
    content = max(contents, key=len) if contents else None
    return FeedItem(_link(entry), title, published, content)
