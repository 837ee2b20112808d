"""Feeds: RSS 2.0, RSS 1.0 and Atom read alike; non-feeds and hostile XML are refused or defused."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from airace.errors import SourceError
from airace.ingest.feeds import FeedItem, looks_like_feed, parse_feed

RSS2 = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:atom="http://www.w3.org/2005/Atom">
<channel><title>AI news</title><link>https://example.org/</link>
<atom:link rel="self" href="https://example.org/feed.xml"/>
<item><title>One</title><link>/news/one</link><pubDate>Tue, 14 May 2024 08:00:00 GMT</pubDate>
<description>Short teaser</description>
<content:encoded><![CDATA[<p>The full text of the first story, longer than its teaser.</p>]]>
</content:encoded>
</item>
<item><title>Two</title><link>https://other.example/two</link></item>
<item><title>Three</title><guid>https://example.org/news/3</guid>
<description>Only a guid</description></item>
<item><title>Four</title><guid isPermaLink="false">tag:example.org,2024:4</guid></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Lab blog</title>
<entry><title>Post</title><link rel="self" href="/self"/>
<link rel="alternate" type="application/json" href="/posts/1.json"/>
<link href="/posts/1"/>
<updated>2025-01-28T09:00:00Z</updated><published>2025-01-27T10:00:00Z</published>
<summary>Summary</summary>
<content type="html">&lt;p&gt;Body of the post&lt;/p&gt;</content></entry>
<entry xml:base="https://cdn.example/archive/"><title type="text">Old</title>
<link rel="alternate" href="2019/old.html"/><updated>2019-03-01T00:00:00Z</updated>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Kept <b>markup</b></p></div>
</content></entry>
</feed>"""

RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://example.org/"><title>Old feed</title><link>https://example.org/</link>
<items><rdf:Seq><rdf:li rdf:resource="https://example.org/a"/></rdf:Seq></items></channel>
<item rdf:about="https://example.org/a"><title>A</title><link>https://example.org/a</link>
<dc:date>2023-06-29</dc:date><description>Text A</description></item>
<item rdf:about="https://example.org/b"><title>B</title><link>b.html</link></item>
</rdf:RDF>"""


def test_rss2_items_take_the_longest_content_and_resolve_relative_links() -> None:
    first, second, *_ = parse_feed(RSS2, "https://example.org/feeds/all.xml")
    assert first == FeedItem(
        "https://example.org/news/one",
        "One",
        "Tue, 14 May 2024 08:00:00 GMT",
        "<p>The full text of the first story, longer than its teaser.</p>",
    )
    assert second == FeedItem("https://other.example/two", "Two", None, None)


def test_rss2_item_without_link_falls_back_to_a_permalink_guid_only() -> None:
    *_, third, fourth = parse_feed(RSS2, "https://example.org/feed.xml")
    assert (third.link, third.content) == ("https://example.org/news/3", "Only a guid")
    assert (fourth.title, fourth.link) == ("Four", None)


def test_atom_entry_uses_the_html_alternate_link_and_the_published_date() -> None:
    entry, _ = parse_feed(ATOM, "https://blog.example/atom")
    assert entry == FeedItem(
        "https://blog.example/posts/1", "Post", "2025-01-27T10:00:00Z", "<p>Body of the post</p>"
    )


def test_atom_xml_base_and_xhtml_content_are_honoured() -> None:
    _, old = parse_feed(ATOM, "https://blog.example/atom")
    assert old == FeedItem(
        "https://cdn.example/archive/2019/old.html",
        "Old",
        "2019-03-01T00:00:00Z",
        "<p>Kept <b>markup</b></p>",
    )


@pytest.mark.parametrize(
    "dates",
    [
        "<updated>2025-02-01</updated><published>2025-01-27</published>",
        "<published>2025-01-27</published><updated>2025-02-01</updated>",
    ],
)
def test_published_date_is_preferred_to_updated_wherever_it_stands(dates: str) -> None:
    feed = f'<feed xmlns="http://www.w3.org/2005/Atom"><entry>{dates}</entry></feed>'
    (entry,) = parse_feed(feed.encode(), "x")
    assert entry.published == "2025-01-27"


def test_rss1_rdf_items_are_read_and_the_channel_is_not_an_item() -> None:
    items = parse_feed(RDF, "https://example.org/index.rdf")
    assert items == [
        FeedItem("https://example.org/a", "A", "2023-06-29", "Text A"),
        FeedItem("https://example.org/b.html", "B", None, None),
    ]


def test_relative_links_stay_relative_when_the_feed_came_from_a_file() -> None:
    (item,) = [i for i in parse_feed(RSS2, "saved/feed.xml") if i.title == "One"]
    assert item.link == "/news/one"


def test_namespace_prefixed_atom_reads_like_plain_atom() -> None:
    prefixed = b"""<a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:entry><a:title>T</a:title>
<a:link href="https://e.org/t"/><a:summary>S</a:summary></a:entry></a:feed>"""
    assert looks_like_feed(prefixed, None)
    assert parse_feed(prefixed, "x") == [FeedItem("https://e.org/t", "T", None, "S")]


def test_feed_without_items_gives_no_items() -> None:
    assert parse_feed(b"<rss version='2.0'><channel><title>t</title></channel></rss>", "x") == []


@pytest.mark.parametrize(
    "data",
    [
        b"<html><head><title>page</title></head><body><p>page</p></body></html>",
        b"<!DOCTYPE html><html><body><p>page<br></p></body></html>",
        b"<?xml version='1.0'?><foo/>",
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url/></urlset>',
        b'{"items": []}',
        b"plain text",
        b"",
    ],
)
def test_documents_that_are_not_feeds_are_refused(data: bytes) -> None:
    with pytest.raises(SourceError, match="not an RSS or Atom feed") as caught:
        parse_feed(data, "page.xml")
    assert caught.value.path == "page.xml"


def test_malformed_xml_error_names_the_line() -> None:
    with pytest.raises(SourceError, match="not well-formed") as caught:
        parse_feed(b"<rss>\n<channel>\n<item></channel></rss>", "broken.xml")
    assert caught.value.line == 3


def test_bare_ampersands_and_html_entities_are_repaired_without_losing_markup() -> None:
    sloppy = b"""<rss><channel><item><title>R&amp;D&nbsp;spend &eacute;</title>
<link>https://e.org/?a=1&b=2</link><description>&lt;b&gt;Tom & Jerry&lt;/b&gt;</description>
</item></channel></rss>"""
    (item,) = parse_feed(sloppy, "x")
    assert item == FeedItem("https://e.org/?a=1&b=2", "R&D\xa0spend é", None, "<b>Tom & Jerry</b>")


def test_html_entities_declared_by_an_external_dtd_are_unescaped() -> None:
    netscape = b"""<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
 "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><item><title>A&nbsp;B</title><link>https://e.org/a</link>
</item></channel></rss>"""
    (item,) = parse_feed(netscape, "x")
    assert item.title == "A\xa0B"


def _entity_bomb(depth: int) -> bytes:
    """Return a feed whose title expands to 100 * 10**depth characters if entities expand."""
    levels = [b'<!ENTITY l0 "' + b"a" * 100 + b'">']
    for n in range(1, depth + 1):
        levels.append(b"<!ENTITY l%d '%s'>" % (n, b"&l%d;" % (n - 1) * 10))
    return (
        b"<?xml version='1.0'?><!DOCTYPE rss [" + b"".join(levels) + b"]>"
        b"<rss><channel><item><title>&l%d;</title><link>https://e.org/x</link>"
        b"<description>before &l1; after</description></item></channel></rss>" % depth
    )


def test_entity_references_are_left_unexpanded() -> None:
    (item,) = parse_feed(_entity_bomb(3), "bomb.xml")  # 100,000 characters if expanded
    assert (item.title, item.content) == ("&l3;", "before &l1; after")


def test_billion_laughs_is_defused_quickly() -> None:
    started = time.perf_counter()
    try:
        items = parse_feed(_entity_bomb(9), "bomb.xml")  # 100 GB if expanded
    except SourceError:
        items = []
    assert time.perf_counter() - started < 1.0
    assert all(len(repr(item)) < 1000 for item in items)


def test_external_entity_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    xxe = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY x SYSTEM "%s">]>
<rss><channel><item><title>&x;</title><link>https://e.org/x</link></item></channel></rss>"""
    (item,) = parse_feed(xxe % secret.as_uri().encode(), "xxe.xml")
    assert "TOP-SECRET-VALUE" not in repr(item)


def test_external_dtd_is_not_loaded(tmp_path: Path) -> None:
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY x "TOP-SECRET-VALUE">')
    doc = b"""<?xml version="1.0"?><!DOCTYPE rss SYSTEM "%s">
<rss><channel><item><title>&x;</title></item></channel></rss>"""
    (item,) = parse_feed(doc % dtd.as_uri().encode(), "dtd.xml")
    assert item.title == "&x;"


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"", "application/rss+xml"),
        (b"", "Application/Atom+XML; charset=utf-8"),
        (b"<sitemap/>", "text/xml"),
        (b"<rss version='2.0'/>", None),
        (b"\xef\xbb\xbf  <?xml version='1.0'?>\n<!-- generated -->\n<feed/>", None),
        (b"<rdf:RDF xmlns:rdf='x'/>", "text/plain"),
        (b"<?xml version='1.0'?><!DOCTYPE rss [<!ENTITY a 'b'>]><rss/>", "text/html"),
        ("\ufeff<?xml version='1.0' encoding='utf-16'?><rss/>".encode("utf-16-le"), None),
    ],
)
def test_feeds_are_recognised_by_type_or_by_their_root(
    data: bytes, content_type: str | None
) -> None:
    assert looks_like_feed(data, content_type)


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"<!DOCTYPE html><html><body>rss feed</body></html>", "text/html"),
        (b"<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'/>", None),
        (b"<feedback/>", None),
        (b"plain text about <rss", "text/plain"),
    ],
)
def test_pages_and_other_documents_do_not_look_like_feeds(
    data: bytes, content_type: str | None
) -> None:
    assert not looks_like_feed(data, content_type)
