""".docx files: stream word/document.xml within bounds on size, elements and text.

python-docx loads the whole document tree and skips nested tables and content controls;
streaming the XML with lxml keeps memory flat and reads every paragraph in document order.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lawgov_cls.read import ReportError

#: The document part may inflate to this many times max_bytes.
DOCX_INFLATE_FACTOR = 5
#: The document part may hold one XML element per this many bytes of max_bytes
#: (2 million at the default 20 MB).
DOCX_BYTES_PER_ELEMENT = 10

_W_NAMESPACES = ("http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                 "http://purl.oclc.org/ooxml/wordprocessingml/main")  # transitional, strict
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"


def _w(*names: str) -> frozenset[str]:
    return frozenset(f"{{{ns}}}{n}" for ns in _W_NAMESPACES for n in names)


_DOCX_P, _DOCX_T, _DOCX_TAB = _w("p"), _w("t"), _w("tab", "ptab")
_DOCX_BREAK, _DOCX_RUN = _w("br", "cr"), _w("r")
_DOCX_FALLBACK = _MC + "Fallback"  # the same content again, for old readers
# bzip2 and LZMA inflate without a bound per read; Word writes only these two.
_ZIP_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
_DOCX_TAGS = sorted(_DOCX_P | _DOCX_T | _DOCX_TAB | _DOCX_BREAK | _DOCX_RUN | {_DOCX_FALLBACK})


def _count_elements(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """XML elements in a part, counted on the inflated bytes before parsing (fast, and so
    an element bomb costs no parse)."""
    count = 0
    with archive.open(info) as part:
        while chunk := part.read(1 << 20):
            count += chunk.count(b"<") - chunk.count(b"</") - chunk.count(b"<?")
    return count


def _docx_body_part(archive: zipfile.ZipFile) -> str:
    """The name of the main document part, from the package relationships."""
    from lxml import etree

    try:
        info = archive.getinfo("_rels/.rels")
    except KeyError:
        return "word/document.xml"
    if info.file_size > 1 << 20 or info.compress_type not in _ZIP_METHODS:
        return "word/document.xml"
    root = etree.fromstring(archive.read(info), _safe_xml_parser())
    for rel in root:
        if str(rel.get("Type", "")).endswith("/officeDocument"):
            return str(rel.get("Target", "")).lstrip("/")
    return "word/document.xml"


def _safe_xml_parser():
    from lxml import etree

    # No DTDs, no entity expansion, no network: XXE and billion laughs stay inert.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False)


def docx_text(path: Path, data: bytes, max_bytes: int) -> str:
    """Stream word/document.xml: paragraphs, tables (nested too), content controls and
    text boxes in document order, within bounds on inflated size, elements and text."""
    from lxml import etree

    max_xml = DOCX_INFLATE_FACTOR * max_bytes
    max_elements = max_bytes // DOCX_BYTES_PER_ELEMENT
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo(_docx_body_part(archive))
            if info.compress_type not in _ZIP_METHODS:
                raise ReportError(path, "not a readable .docx file (unusual zip compression)")
            if info.file_size > max_xml:
                raise ReportError(path, f"document inflates to {info.file_size / 2**20:,.0f} MB, "
                                        f"over the {max_xml / 2**20:,.0f} MB limit for .docx "
                                        f"(zip bomb? raise it with --max-mb)")
            elements = _count_elements(archive, info)
            if elements > max_elements:
                raise ReportError(path, f"document has {elements:,} XML elements, over the "
                                        f"{max_elements:,} limit (raise it with --max-mb)")
            lines: list[str] = []
            stack: list[list[str]] = []  # text of the open paragraphs (text boxes nest them)
            chars = skip = 0
            with archive.open(info) as body:
                events = etree.iterparse(body, events=("start", "end"), tag=_DOCX_TAGS,
                                         resolve_entities=False, no_network=True,
                                         load_dtd=False, huge_tree=False)
                for event, el in events:
                    tag = el.tag
                    if event == "start":
                        if tag in _DOCX_P:
                            stack.append([])
                        elif tag == _DOCX_FALLBACK:
                            skip += 1
                        continue
                    if tag == _DOCX_FALLBACK:
                        skip -= 1
                    elif skip or not stack:
                        pass
                    elif tag in _DOCX_T:
                        stack[-1].append(el.text or "")
                    elif tag in _DOCX_TAB:
                        stack[-1].append("\t")
                    elif tag in _DOCX_BREAK:
                        stack[-1].append("\n")
                    if tag in _DOCX_P:
                        line = "".join(stack.pop()) if stack else ""
                        chars += len(line) + 1
                        if chars > max_bytes:
                            raise ReportError(path, f"document holds over {max_bytes:,} "
                                                    "characters (raise the limit with --max-mb)")
                        if not skip:
                            lines.append(line)
                    if tag in _DOCX_P or tag in _DOCX_RUN:
                        # Consumed: free it and its finished siblings, so memory stays flat.
                        el.clear(keep_tail=True)
                        parent = el.getparent()
                        while parent is not None and el.getprevious() is not None:
                            del parent[0]
    except ReportError:
        raise
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, RuntimeError,
            NotImplementedError, EOFError, ValueError, OSError) as exc:
        detail = type(exc).__name__
        if isinstance(exc, etree.XMLSyntaxError):
            detail = f"XML error: {str(exc)[:80]}"
        raise ReportError(path, f"not a readable .docx file ({detail})") from None
    return "\n".join(lines)
