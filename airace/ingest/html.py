"""HTML pages -> main text, title and date, via trafilatura.

Navigation, menus, footers, related-link boxes and comments are left out by trafilatura's
main-content extraction; what it returns is then cleaned like any other text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from airace.errors import SourceError
from airace.ingest.dates import parse_date

# htmldate's extensive search scans the whole page and costs more than the extraction itself;
# the metadata a page declares (meta tags, <time>, JSON-LD) is what we trust for a news date.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


@dataclass(frozen=True, slots=True)
class HtmlContent:
    """The main text of a page and the metadata found in its markup."""

    text: str
    title: str | None
    published: date | None
    language: str | None


def extract_html(html: str, origin: str) -> HtmlContent:
    """Extract the main text of an HTML page.

    Args:
        html: the decoded page.
        origin: the file or URL, for error messages and relative links.

    Raises:
        SourceError: the page is not HTML or has no main text.
    """
    import trafilatura

    if "<" not in html:
        raise SourceError("not HTML: no markup found", path=origin)
    try:
        result = trafilatura.bare_extraction(
            html,
            url=origin if origin.startswith(("http://", "https://")) else None,
            include_comments=False,
            include_tables=True,
            with_metadata=True,
            date_extraction_params=_DATE_PARAMS,
        )
    except Exception as error:  # trafilatura raises assorted lxml/parser errors
        raise SourceError(f"malformed HTML: {error}", path=origin) from error
    text = getattr(result, "text", None) if result is not None else None
    if not text or not text.strip():
        raise SourceError("malformed HTML or no main text found", path=origin)
    raw_date = getattr(result, "date", None)
    return HtmlContent(
        text=text,
        title=getattr(result, "title", None) or None,
        published=parse_date(raw_date) if raw_date else None,
        language=getattr(result, "language", None) or None,
    )


# Elements after which a fragment's text breaks into a new paragraph.
_BLOCKS = ("p", "div", "br", "li", "ul", "ol", "tr", "table", "blockquote", "section",
           "article", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "figure", "figcaption", "dd",
           "dt")  # fmt: skip


def fragment_text(fragment: str, origin: str) -> str:
    """The text of an HTML fragment (a feed item's summary or content: a few paragraphs, not a
    page), one paragraph per block element. Main-text extraction is made for whole pages and
    finds nothing in a fragment this short.

    Raises:
        SourceError: the fragment has no text.
    """
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError) as error:
        raise SourceError(f"malformed HTML: {error}", path=origin) from error
    lxml.etree.strip_elements(root, "script", "style", with_tail=False)
    for element in root.iter(*_BLOCKS):
        element.tail = "\n\n" + (element.tail or "")
    text = "\n\n".join(part.strip() for part in root.text_content().split("\n\n"))
    text = text.strip()
    if not text:
        raise SourceError("no text in the HTML", path=origin)
    return text
