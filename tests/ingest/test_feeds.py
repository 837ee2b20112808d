"""Feeds: RSS 2.0, RSS 1.0 and Atom read alike; non-feeds and hostile XML are refused."""

from __future__ import annotations

import pytest

from airace.errors import SourceError
from airace.ingest.feeds import looks_like_feed, parse_feed

RSS2 = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>AI news</title>
<item><title>One</title><link>/news/one</link><pubDate>Tue, 14 May 2024 08:00:00 GMT</pubDate>
<description>Short teaser</description>
<content:encoded><![CDATA[<p>The full text of the first story, longer than its teaser.</p>]]>
</content:encoded>
</item>
<item><title>Two</title><link>https://other.example/two</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Lab blog</title>
<entry><title>Post</title><link rel="self" href="/self"/><link href="/posts/1"/>
<published>2025-01-27T10:00:00Z</published><summary>Summary</summary>
<content type="html">&lt;p&gt;Body of the post&lt;/p&gt;</content></entry>
</feed>"""

RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="x"><title>Old feed</title></channel>
<item rdf:about="https://example.org/a"><title>A</title><link>https://example.org/a</link>
<dc:date>2023-06-29</dc:date><description>Text A</description></item>
</rdf:RDF>"""


def test_rss2_items_take_the_longest_content_and_resolve_relative_links() -> None:
    first, second = parse_feed(RSS2, "https://example.org/feed.xml")
    assert first.link == "https://example.org/news/one"
    assert first.title == "One"
    assert first.published == "Tue, 14 May 2024 08:00:00 GMT"
    assert first.content is not None and "full text of the first story" in first.content
    assert (second.link, second.content) == ("https://other.example/two", None)


def test_atom_entry_uses_the_alternate_link_not_self() -> None:
    (entry,) = parse_feed(ATOM, "https://blog.example/atom")
    assert entry.link == "https://blog.example/posts/1"
    assert entry.published == "2025-01-27T10:00:00Z"
    assert entry.content == "<p>Body of the post</p>"


def test_rss1_rdf_items_are_read() -> None:
    (item,) = parse_feed(RDF, "feed.rdf")
    assert (item.link, item.published, item.content) == (
        "https://example.org/a",
        "2023-06-29",
        "Text A",
    )


@pytest.mark.parametrize(
    "data",
    [b"<html><body>page</body></html>", b"<?xml version='1.0'?><notes/>", b"plain text", b""],
)
def test_documents_that_are_not_feeds_are_refused(data: bytes) -> None:
    with pytest.raises(SourceError, match="not an RSS or Atom feed"):
        parse_feed(data, "x")


def test_entity_expansion_bomb_does_nothing() -> None:
    bomb = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<rss><channel><item><title>&d;</title><link>https://e.org/x</link></item></channel></rss>"""
    try:
        items = parse_feed(bomb, "bomb.xml")
    except SourceError:
        return
    assert all(len(item.title or "") < 1000 for item in items)


def test_external_entity_is_not_read(tmp_path: object) -> None:
    xxe = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/hostname">]>
<rss><channel><item><title>&x;</title><link>https://e.org/x</link></item></channel></rss>"""
    try:
        items = parse_feed(xxe, "xxe.xml")
    except SourceError:
        return
    with open("/etc/hostname") as handle:
        secret = handle.read().strip()
    assert all(secret not in (item.title or "") for item in items)


def test_feeds_are_recognised_by_type_or_by_their_root() -> None:
    assert looks_like_feed(b"", "application/rss+xml")
    assert looks_like_feed(b"\xef\xbb\xbf  <?xml version='1.0'?><!-- c --><feed/>", None)
    assert looks_like_feed(b"<rdf:RDF/>", "text/plain")
    assert not looks_like_feed(b"<!DOCTYPE html><html></html>", "text/html")
