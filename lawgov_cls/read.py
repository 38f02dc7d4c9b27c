"""Read a report file (.txt, .docx, .html, .pdf) into normalised plain text.

Every reader returns text with one block (paragraph, table cell, line) per line, so the
segmenter sees the same shape whatever the format. ``read_report`` is the entry point:

>>> text = read_report("seeds/000_61e82024cf361030.txt")  # doctest: +SKIP

Files arrive from anywhere, so every reader has a bound: only regular files are opened,
at most ``max_bytes`` are read, extracted text may hold at most ``max_bytes`` characters
and ``max_bytes / BYTES_PER_LINE`` lines;
read_docx.py bounds what a .docx inflates to and read_html.py parses pages in linear time.
Time per file is bounded by the batch runner (see tag.py).
"""

from __future__ import annotations

import codecs
import errno
import io
import os
import re
import stat
import unicodedata
from collections import Counter
from pathlib import Path

#: File extensions the reader understands.
SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".docx", ".html", ".htm", ".pdf")

#: Files larger than this are refused rather than read into memory (bytes).
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
#: A report may have one non-blank line (paragraph) per this many bytes of max_bytes
#: (419,430 at the default 20 MB; tagging that many took 0.7 GB when measured by hand).
BYTES_PER_LINE = 50
#: Undecodable bytes tolerated in a text file: this share of its characters (or 4, if more).
MAX_BAD_CHAR_SHARE = 0.01

# Formats people keep sending that the reader cannot open, with what to do about them.
_CONVERT_HINTS = {
    ".doc": "old Word format .doc: save it as .docx",
    ".wps": "WPS format .wps: save it as .docx",
    ".rtf": "RTF: save it as .docx",
    ".odt": "OpenDocument .odt: save it as .docx",
    ".xls": "a spreadsheet, not a report", ".xlsx": "a spreadsheet, not a report",
    ".et": "a WPS spreadsheet, not a report",
    ".ofd": "OFD: export it as .pdf with a text layer",
    ".mht": "web archive .mht: save the page as .html",
    ".mhtml": "web archive .mhtml: save the page as .html",
}


class ReportError(Exception):
    """A report file that cannot be read; ``str()`` names the file and the reason."""

    def __init__(self, path: str | Path, reason: str):
        self.path = display_path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


def display_path(path: str | os.PathLike) -> str:
    """A file name as a person can read it and every output format can hold it.

    Names that are not UTF-8 (GBK names from Windows shares and USB sticks) are decoded as
    GB18030 when they are valid GB18030; other undecodable bytes and control characters
    become visible escapes (``\\xb1``), so that no name is lost or breaks a writer.

    >>> display_path(os.fsdecode(b"\\xb1\\xa8\\xb8\\xe6.txt"))
    '报告.txt'
    >>> display_path("a\\x01b.txt")
    'a\\\\x01b.txt'
    """
    raw = os.fsencode(path) if not isinstance(path, bytes) else path
    try:
        name = raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            name = raw.decode("gb18030")
        except UnicodeDecodeError:
            name = raw.decode("utf-8", errors="backslashreplace")
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}", name)


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def unsupported_reason(suffix: str) -> str:
    """Why a file with this extension is not read, and what to do instead."""
    hint = _CONVERT_HINTS.get(suffix.lower())
    supported = ", ".join(SUPPORTED_SUFFIXES)
    if hint:
        return f"unsupported file type ({hint}); supported: {supported}"
    return f"unsupported file type {suffix or '(none)'}; supported: {supported}"


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


# --- bytes to text ------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Declared or detected encodings widened to the superset that browsers and editors use.
_WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "x_gbk": "gb18030",
          "euc_cn": "gb18030", "hz": "gb18030", "big5": "big5hkscs", "cp950": "big5hkscs",
          "ascii": "cp1252", "us_ascii": "cp1252", "latin_1": "cp1252", "iso_8859_1": "cp1252"}
_BAD_CHARS = re.compile(r"[\ufffd\x00-\x08\x0e-\x1f]")


def _codecs(name: str | None) -> list[str]:
    """Python codecs for a declared or detected encoding, widened; [] if unknown."""
    if not name:
        return []
    key = name.strip().lower().replace("-", "_")
    key = _WIDER.get(key, key)
    try:
        return [codecs.lookup(key).name]
    except LookupError:
        return []


def _gbk_euro(strict: bool):
    """GB18030 as browsers read GBK: byte 0x80 is the euro sign (Windows cp936)."""

    def handler(exc: UnicodeDecodeError):
        if exc.object[exc.start:exc.start + 1] == b"\x80":
            return "\u20ac", exc.start + 1
        if strict:
            raise exc
        return "\ufffd", exc.end

    return handler


codecs.register_error("lawgov_cls.gbk_strict", _gbk_euro(strict=True))
codecs.register_error("lawgov_cls.gbk_replace", _gbk_euro(strict=False))


def _decode(data: bytes, encoding: str, replace: bool = False) -> str:
    if encoding == "gb18030":
        return data.decode(encoding, "lawgov_cls.gbk_replace" if replace else "lawgov_cls.gbk_strict")
    return data.decode(encoding, "replace" if replace else "strict")


def decode_bytes(data: bytes, path: str | Path = "<bytes>", declared: str | None = None) -> str:
    """Decode report bytes leniently, but refuse what is not text.

    A BOM decides; then strict UTF-8; then the ``declared`` encoding (an HTML meta charset);
    then charset-normalizer's guess. GB2312/GBK are widened to GB18030, their superset. A
    file that no single encoding decodes (a damaged byte, a file joined from UTF-8 and GBK
    halves) is decoded line by line, each line with the first encoding that takes it; up
    to MAX_BAD_CHAR_SHARE of its characters may then be undecodable (shown as U+FFFD).
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _check_bad_share(data.decode(encoding, errors="replace"), path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    encodings = _codecs(declared)
    for encoding in encodings:
        try:
            return _decode(data, encoding)
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    for encoding in _codecs(best.encoding) if best is not None else []:
        if encoding in encodings:
            continue
        try:
            return _check_bad_share(_decode(data, encoding), path)
        except UnicodeDecodeError:
            encodings.append(encoding)
    return _check_bad_share(_decode_lines(data, ["utf-8", *encodings, "gb18030"]), path)


def _decode_lines(data: bytes, encodings: list[str]) -> str:
    """Each line with the first encoding that decodes it strictly, else with the one that
    leaves the fewest undecodable characters."""
    encodings = list(dict.fromkeys(encodings))
    out = []
    for line in data.split(b"\n"):
        for encoding in encodings:
            try:
                out.append(_decode(line, encoding))
                break
            except UnicodeDecodeError:
                continue
        else:
            out.append(min((_decode(line, e, replace=True) for e in encodings),
                           key=lambda t: t.count("\ufffd")))
    return "\n".join(out)


def _check_bad_share(text: str, path) -> str:
    bad = len(_BAD_CHARS.findall(text))
    if bad > max(4, MAX_BAD_CHAR_SHARE * len(text)):
        raise ReportError(path, f"not text in any known encoding (binary file?): {bad:,} of "
                                f"{len(text):,} characters undecodable")
    return text


def _read_txt(path: Path, data: bytes, max_bytes: int) -> str:
    return decode_bytes(data, path)


# --- docx, html (own modules), pdf -------------------------------------------------


def _read_docx(path: Path, data: bytes, max_bytes: int) -> str:
    from lawgov_cls.read_docx import docx_text

    return docx_text(path, data, max_bytes)


def _read_html(path: Path, data: bytes, max_bytes: int) -> str:
    from lawgov_cls.read_html import extract_html_text

    return extract_html_text(data, path, max_bytes)


def _read_pdf(path: Path, data: bytes, max_bytes: int) -> str:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    pages: list[str] = []
    chars = 0
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReportError(path, "encrypted PDF (needs a password)")
        for page in reader.pages:
            text = page.extract_text() or ""
            chars += len(text)
            if chars > max_bytes:
                raise ReportError(path, f"PDF holds over {max_bytes:,} characters "
                                        "(raise the limit with --max-mb)")
            pages.append(text)
    except ReportError:
        raise
    except (FileNotDecryptedError, DependencyError) as exc:
        raise ReportError(path, f"encrypted PDF that cannot be opened ({exc})"[:200]) from None
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ReportError(path, f"not a readable PDF ({type(exc).__name__})") from None
    except RecursionError:
        raise ReportError(path, "not a readable PDF (objects nested without end)") from None
    except Exception as exc:  # pypdf raises assorted errors on damaged files
        raise ReportError(path, f"not a readable PDF ({type(exc).__name__})") from None
    text = "\n".join(pages)
    if not text.strip():
        raise ReportError(path, "PDF has no text layer (scanned image?); run OCR first")
    return text


_READERS = {".txt": _read_txt, ".docx": _read_docx, ".html": _read_html, ".htm": _read_html,
            ".pdf": _read_pdf}


# --- files ----------------------------------------------------------------------

_FILE_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
               (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _kind(mode: int) -> str:
    return next((name for test, name in _FILE_KINDS if test(mode)), "not a regular file")


def read_bytes_limited(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; anything else is a ReportError.

    FIFOs, devices and sockets (also behind symlinks) are refused without reading, so
    that nothing blocks or reads without end.
    """
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise ReportError(path, "is a directory")
        if not stat.S_ISREG(st.st_mode):
            raise ReportError(path, f"{_kind(st.st_mode)}, not a regular file; only regular "
                                    "files are read")
        _check_size(path, st.st_size, max_bytes)
        flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
        fd = os.open(path, flags)
        try:
            st = os.fstat(fd)  # the file opened may not be the one checked
            if not stat.S_ISREG(st.st_mode):
                raise ReportError(path, f"{_kind(st.st_mode)}, not a regular file")
            with open(fd, "rb", closefd=False) as f:
                data = f.read(max_bytes + 1)
        finally:
            os.close(fd)
    except FileNotFoundError:
        raise ReportError(path, "file not found") from None
    except PermissionError:
        raise ReportError(path, "permission denied") from None
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else type(exc).__name__
        if exc.errno == errno.ELOOP:
            reason = "symbolic link loop"
        raise ReportError(path, f"cannot be read ({reason})") from None
    _check_size(path, len(data), max_bytes)
    return data


def _check_size(path, size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise ReportError(path, f"file is over the {max_bytes / 2**20:.1f} MB limit "
                                f"({size / 2**20:.1f} MB; raise it with --max-mb)")


def read_report(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read one report file and return its normalised text (one block per line).

    Raises ReportError (naming the file and the reason) for unsupported, empty, oversized,
    unreadable, non-regular or text-less files.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in _READERS:
        raise ReportError(path, unsupported_reason(suffix))
    return report_text(read_bytes_limited(path, max_bytes), path, suffix, max_bytes)


def read_stream(stream, name: str = "stdin", max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """At most ``max_bytes`` of a binary stream (standard input); ReportError past that."""
    try:
        data = stream.read(max_bytes + 1)
    except OSError as exc:
        raise ReportError(name, f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    _check_size(name, len(data), max_bytes)
    return data


def report_text(data: bytes, path: str | Path, suffix: str = ".txt",
                max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The normalised text of a report's bytes, read as a file of type ``suffix`` would be
    (standard input is read as a .txt file: any Chinese encoding)."""
    path = Path(path)
    if not data.strip():
        raise ReportError(path, "empty file")
    text = _READERS[suffix](path, data, max_bytes)
    # Counted before splitting: millions of one-character lines cost a gigabyte to tag.
    lines = max(text.count("\n") - text.count("\n\n"), text.count("\r") - text.count("\r\r")) + 1
    max_lines = max(1000, max_bytes // BYTES_PER_LINE)
    if lines > max_lines:
        raise ReportError(path, f"text has {lines:,} lines, over the {max_lines:,} limit "
                                "(raise it with --max-mb)")
    text = normalize_text(text)
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
    # Each distinct character is classified once: a report has a few thousand of them.
    counts = Counter(sample)
    good = sum(n for ch, n in counts.items() if ch.isalnum()
               or unicodedata.category(ch)[0] in "PS" and ch != "\ufffd")
    cjk = sum(n for ch, n in counts.items() if "\u4e00" <= ch <= "\u9fff")
    return good / len(sample) < 0.85 or (len(sample) > 200 and cjk / len(sample) < 0.05
                                         and good / len(sample) < 0.95)
