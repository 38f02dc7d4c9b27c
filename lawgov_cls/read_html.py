"""HTML pages: decode as browsers do, parse with libxml2 (linear time, bounded depth),
keep the article with readability-lxml (chosen by train/html_extract_bench.py)."""

from __future__ import annotations

import re
from pathlib import Path

from lawgov_cls.read import DEFAULT_MAX_BYTES, ReportError, decode_bytes

#: libxml2 refuses HTML nested deeper than this (with its huge-tree option on).
HTML_MAX_DEPTH = 2048
#: A page may hold one element per this many bytes of max_bytes (524,288 at 20 MB);
#: readability took about 1 KB of memory per element when measured by hand.
HTML_BYTES_PER_ELEMENT = 40

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)|<\?xml[^>]+encoding\s*=\s*["']([-\w.:]+)""",
    re.IGNORECASE)


def decode_html(data: bytes, path: str | Path = "<html>") -> str:
    """Decode a page: BOM, then UTF-8, then its declared charset widened (gb2312 read as
    GB18030, as browsers do), then detection; see decode_bytes."""
    match = _META_CHARSET.search(data[:8192])
    declared = (match.group(1) or match.group(2)).decode("ascii", "replace") if match else None
    return decode_bytes(data, path, declared=declared)


def parse_html(data: bytes, path: str | Path = "<html>", max_bytes: int = DEFAULT_MAX_BYTES):
    """An lxml tree of a page (libxml2: linear time); too deep or too many elements are refused."""
    import lxml.html
    from lxml import etree

    # Counted on the bytes, before any tree is built.
    elements = data.count(b"<") - data.count(b"</") - data.count(b"<!")
    max_elements = max_bytes // HTML_BYTES_PER_ELEMENT
    if elements > max_elements:
        raise ReportError(path, f"page has about {elements:,} HTML elements, over the "
                                f"{max_elements:,} limit (raise it with --max-mb)")
    text = decode_html(data, path)
    # Hand libxml2 UTF-8 with the encoding fixed, so that a <meta charset> cannot
    # switch it to a narrower codec half-way.
    parser = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True, remove_comments=True,
                                  remove_pis=True, no_network=True)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ReportError(path, f"not a readable HTML page ({exc})") from None
    if any(e.type_name == "ERR_RESOURCE_LIMIT" or "Excessive depth" in e.message
           for e in parser.error_log):
        raise ReportError(path, f"HTML nested deeper than {HTML_MAX_DEPTH:,} elements "
                                "(malformed or hostile page)")
    return root


_HTML_BLOCK_TAGS = frozenset((
    "p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "section",
    "article", "table", "ul", "ol", "blockquote", "pre", "dd", "dt", "dl", "main", "header",
    "footer", "nav", "aside", "form", "center", "caption", "figcaption", "hr", "address"))
_HTML_SKIP_TAGS = frozenset(("script", "style", "noscript", "template", "head", "title",
                             "select", "option", "svg", "iframe", "object", "textarea"))


def html_block_text(root) -> str:
    """The text of an lxml (sub)tree with one block element per line; linear time."""
    from lxml import etree

    parts: list[str] = []
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _HTML_SKIP_TAGS:
                walker.skip_subtree()  # its "end" event still comes, with its tail
                continue
            if tag in _HTML_BLOCK_TAGS:
                parts.append("\n")
            if el.text and tag:
                parts.append(el.text)
        else:
            if tag in _HTML_BLOCK_TAGS:
                parts.append("\n")
            if el.tail and el is not root:
                parts.append(el.tail)
    return "".join(parts)


def extract_html_text(data: bytes, path: str | Path = "<html>",
                      max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The main text of a page, without navigation, sidebars, share bars and footers.

    readability-lxml picks the article (chosen by train/html_extract_bench.py, see the
    README); the page is parsed by ``parse_html`` first, so decoding and depth are ours.
    """
    import logging

    import lxml.html
    from readability import Document
    from readability.readability import Unparseable

    # readability logs a traceback at ERROR level before raising; the ReportError says it.
    logging.getLogger("readability").setLevel(logging.CRITICAL)
    root = parse_html(data, path, max_bytes)
    try:
        summary = Document(root).summary(html_partial=True)
    except Unparseable as exc:
        raise ReportError(path, f"not a readable HTML page ({exc})"[:200]) from None
    parser = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True, no_network=True)
    return html_block_text(lxml.html.fromstring(summary.encode("utf-8"), parser=parser))
