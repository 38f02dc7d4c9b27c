"""Read a report file (.txt, .docx, .html, .pdf) into normalised plain text.

Every reader returns text with one block (paragraph, table cell, line) per line, so the
segmenter sees the same shape whatever the format. ``read_report`` is the entry point:

>>> text = read_report("seeds/000_61e82024cf361030.txt")  # doctest: +SKIP
"""

from __future__ import annotations

import codecs
import re
import unicodedata
import zipfile
from pathlib import Path

#: File extensions the reader understands.
SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".docx", ".html", ".htm", ".pdf")

#: Files larger than this are refused rather than read into memory (bytes).
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


class ReportError(Exception):
    """A report file that cannot be read; ``str()`` names the file and the reason."""

    def __init__(self, path: str | Path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


# --- normalisation ---------------------------------------------------------------

_HSPACE = re.compile(r"[^\S\n]+")  # whitespace other than newlines (NFKC maps U+3000 and NBSP to space)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200d\ufeff]")


def normalize_text(text: str) -> str:
    """NFKC-normalise, unify line breaks, drop control characters, collapse runs of spaces.

    Leading indentation is kept as a single space, because the segmenter uses it to tell
    a new paragraph from a hard-wrapped line. Traditional characters are left as they are.

    >>> normalize_text("（一）加强领导，\\u3000\\u3000落实责任")
    '(一)加强领导, 落实责任'
    """
    text = unicodedata.normalize("NFKC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", text)
    return "\n".join(_HSPACE.sub(" ", line).rstrip() for line in text.split("\n"))


# --- plain text -----------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_bytes(data: bytes, path: str | Path = "<bytes>") -> str:
    """Decode report bytes: a BOM decides, then strict UTF-8, then charset-normalizer.

    GB2312/GBK guesses are widened to GB18030, their superset, so that rare characters in
    a GBK file do not break decoding.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ReportError(path, "not text in any known encoding (binary file?)")
    encoding = best.encoding.lower().replace("-", "_")
    if encoding in {"gb2312", "gbk", "gb18030", "hz", "cp936"}:
        return data.decode("gb18030", errors="replace")
    return str(best)


def _read_txt(path: Path, data: bytes) -> str:
    return decode_bytes(data, path)


# --- docx -----------------------------------------------------------------------


def _read_docx(path: Path, data: bytes) -> str:
    import io

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReportError(path, f"not a readable .docx file ({type(exc).__name__})") from None
    lines: list[str] = []
    # Walk the body in document order so that tables sit where they appear.
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            for row in block.rows:
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # merged cells repeat the same element
                        continue
                    seen.add(id(cell._tc))
                    lines.extend(p.text for p in cell.paragraphs)
        else:
            lines.append(block.text)
    return "\n".join(lines)


# --- html -----------------------------------------------------------------------

# Elements that never hold the article text of a government page.
_HTML_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form",
                   "iframe", "button", "select", "svg", "template", "head")
# class/id fragments of navigation blocks used by common CMS templates.
_HTML_DROP_ATTR = re.compile(
    r"(^|[-_\s])(nav|navbar|menu|breadcrumb|crumbs?|position|location|footer|foot|header|"
    r"top|sidebar|share|bdshare|copyright|friend-?links?|links)([-_\s]|\d|$)",
    re.IGNORECASE,
)
_HTML_BLOCK_TAGS = ("p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
                    "section", "article", "table", "ul", "ol", "blockquote", "pre", "dd", "dt")


def _read_html(path: Path, data: bytes) -> str:
    from bs4 import BeautifulSoup

    # bs4 reads <meta charset> itself; pass bytes so that GBK pages decode correctly.
    soup = BeautifulSoup(data, "lxml")
    for tag in soup.find_all(_HTML_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed or tag.attrs is None:
            continue
        marks = " ".join([tag.get("id") or "", *(tag.get("class") or [])])
        if marks and _HTML_DROP_ATTR.search(marks):
            tag.decompose()
    root = soup.find("article") or soup.body or soup
    for br in root.find_all("br"):
        br.replace_with("\n")
    for tag in root.find_all(_HTML_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    return root.get_text()


# --- pdf ------------------------------------------------------------------------


def _read_pdf(path: Path, data: bytes) -> str:
    import io
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReportError(path, "encrypted PDF (needs a password)")
        pages = [page.extract_text() or "" for page in reader.pages]
    except ReportError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ReportError(path, f"not a readable PDF ({type(exc).__name__})") from None
    except Exception as exc:  # pypdf raises assorted errors on damaged files
        if "crypt" in str(exc).lower():
            raise ReportError(path, "encrypted PDF that cannot be opened") from None
        raise ReportError(path, f"not a readable PDF ({type(exc).__name__})") from None
    text = "\n".join(pages)
    if not text.strip():
        raise ReportError(path, "PDF has no text layer (scanned image?); run OCR first")
    return text


_READERS = {".txt": _read_txt, ".docx": _read_docx, ".html": _read_html, ".htm": _read_html,
            ".pdf": _read_pdf}


def read_report(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read one report file and return its normalised text (one block per line).

    Raises ReportError (naming the file and the reason) for unsupported, empty, oversized,
    unreadable or text-less files.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in _READERS:
        raise ReportError(path, f"unsupported file type {suffix or '(none)'}; "
                                f"supported: {', '.join(SUPPORTED_SUFFIXES)}")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ReportError(path, f"file is {size / 2**20:.1f} MB, over the "
                                    f"{max_bytes / 2**20:.1f} MB limit (raise it with --max-mb)")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReportError(path, "file not found") from None
    except PermissionError:
        raise ReportError(path, "permission denied") from None
    except IsADirectoryError:
        raise ReportError(path, "is a directory") from None
    if not data.strip():
        raise ReportError(path, "empty file")
    text = normalize_text(_READERS[suffix](path, data))
    if not text.strip():
        raise ReportError(path, "no text found")
    if _looks_binary(text):
        raise ReportError(path, "does not look like text (binary or wrongly encoded file)")
    return text


def _looks_binary(text: str) -> bool:
    """True when too few characters are CJK, letters, digits or ordinary punctuation."""
    sample = "".join(text.split())[:20000]
    if not sample:
        return True
    good = sum(1 for ch in sample if ch.isalnum() or unicodedata.category(ch)[0] in "PS"
               and ch != "\ufffd")
    cjk = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff")
    return good / len(sample) < 0.85 or (len(sample) > 200 and cjk / len(sample) < 0.05
                                         and good / len(sample) < 0.95)
