"""Writing result tables: atomically (temp file, then rename), as CSV, JSON lines or Excel.

``TableWriter`` streams rows to disk one report at a time, so a batch of thousands of
reports never sits in memory at once. Outputs never run code when opened: Excel cells are
written as text, never as formulas, and CSV cells that a spreadsheet would read as a
formula (a leading ``=``, ``+``, ``-``, ``@``, tab or CR) get a leading ``'`` as OWASP's
CSV-injection guidance describes. A failure to write (read-only or full disk, --out
below a file) is an ``OutputError`` with one line of reason, and leaves no temp file.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Iterator

import pandas as pd

FORMATS = ("csv", "jsonl", "xlsx")
# Excel refuses cells over 32,767 characters.
_EXCEL_MAX_CELL = 32_000
# Column widths (in Excel character units) by column name; a write-only sheet needs them
# before the first row, so they are fixed per column rather than measured.
_EXCEL_WIDTHS = {"text": 90, "heading": 36, "doc": 32, "evidence": 36, "missing": 30,
                 "path": 50, "reason": 70}


# Characters a spreadsheet reads as the start of a formula (OWASP, CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 (and so openpyxl) cannot hold, and lone surrogates.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class OutputError(Exception):
    """An output file or folder that cannot be written; ``str()`` says which and why."""


def _output_error(path, exc: OSError) -> OutputError:
    reason = exc.strerror or type(exc).__name__
    return OutputError(f"cannot write {path}: {reason}")


@contextlib.contextmanager
def _writing(path):
    """Turn an OSError while writing ``path`` into an OutputError."""
    try:
        yield
    except OSError as exc:
        raise _output_error(path, exc) from None


def csv_safe(value):
    """A CSV cell that no spreadsheet runs as a formula: text starting like one gets a '.

    >>> csv_safe("=cmd|' /C calc'!A0"), csv_safe("-1"), csv_safe(-1), csv_safe("一、总体")
    ("'=cmd|' /C calc'!A0", "'-1", -1, '一、总体')
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _xml_text(value: str) -> str:
    """Text an XML cell can hold: control characters and lone surrogates as escapes."""
    return _XML_ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                            else f"\\u{ord(m.group()):04x}", value)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _temp_beside(path: Path) -> Path:
    """A new empty temp file in the same directory, so that os.replace is atomic."""
    with _writing(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(fd)
        try:
            # mkstemp makes the file private (0600); results are ordinary files for their readers.
            os.chmod(tmp, 0o666 & ~_umask())
        except OSError:
            os.unlink(tmp)
            raise
    return Path(tmp)


def _finish(tmp: Path, path: Path, ok: bool) -> None:
    try:
        if ok:
            with _writing(path):
                os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)  # gone after a successful replace


def check_writable(folder: str | os.PathLike) -> None:
    """Create ``folder`` if needed and check that files can be made in it (OutputError if not)."""
    folder = Path(folder)
    with _writing(folder):
        folder.mkdir(parents=True, exist_ok=True)
    os.unlink(_temp_beside(folder / "probe"))


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temp path beside ``path``; rename it over ``path`` only if the block succeeds."""
    path = Path(path)
    tmp = _temp_beside(path)
    ok = False
    try:
        with _writing(path):
            yield tmp
        ok = True
    finally:
        _finish(tmp, path, ok)


def _cell(value):
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def _excel_cell(sheet, value):
    """A cell for a write-only sheet; text is always text, never a formula."""
    value = _cell(value)
    if not isinstance(value, str):
        return value
    from openpyxl.cell import WriteOnlyCell

    if len(value) > _EXCEL_MAX_CELL:
        value = value[:_EXCEL_MAX_CELL] + "…"
    cell = WriteOnlyCell(sheet, _xml_text(value))
    cell.data_type = "s"  # openpyxl would make "=..." a formula
    return cell


class TableWriter:
    """Append DataFrames with the same columns to one output file, atomically on close.

    CSV is written with a BOM so that Excel and WPS open the Chinese text correctly.
    """

    def __init__(self, path: str | os.PathLike, fmt: str, columns: list[str]):
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
        self.path, self.fmt, self.columns = Path(path), fmt, list(columns)
        self._tmp = _temp_beside(self.path)
        try:
            with _writing(self.path):
                self._open()
        except BaseException:
            _finish(self._tmp, self.path, ok=False)
            raise

    def _open(self) -> None:
        fmt = self.fmt
        if fmt == "xlsx":
            from openpyxl import Workbook
            from openpyxl.utils import get_column_letter

            self._book = Workbook(write_only=True)
            self._sheet = self._book.create_sheet(self.path.stem)
            self._sheet.freeze_panes = "A2"
            for j, name in enumerate(self.columns, 1):
                width = _EXCEL_WIDTHS.get(name, max(8, _display_width(name) + 2))
                self._sheet.column_dimensions[get_column_letter(j)].width = width
            self._sheet.append([_excel_cell(self._sheet, c) for c in self.columns])
        else:
            encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
            # backslashreplace: a stray surrogate (an undecodable name) must not lose the table.
            self._file = open(self._tmp, "w", encoding=encoding, errors="backslashreplace",
                              newline="")
            if fmt == "csv":
                pd.DataFrame(columns=[csv_safe(c) for c in self.columns]).to_csv(
                    self._file, index=False)

    def write(self, frame: pd.DataFrame) -> None:
        frame = frame.reindex(columns=self.columns)
        with _writing(self.path):
            if self.fmt == "csv":
                text = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])
                        and not pd.api.types.is_bool_dtype(frame[c])]
                if text:
                    # A list, not Series.map: map would turn [2019, None] into floats.
                    frame = frame.assign(**{c: pd.Series([csv_safe(v) for v in frame[c]],
                                                         index=frame.index, dtype=object)
                                            for c in text})
                frame.to_csv(self._file, index=False, header=False)
            elif self.fmt == "jsonl":
                for record in frame.to_dict(orient="records"):
                    self._file.write(json.dumps({k: _cell(v) for k, v in record.items()},
                                                ensure_ascii=False, default=str) + "\n")
            else:
                for row in frame.itertuples(index=False):
                    self._sheet.append([_excel_cell(self._sheet, v) for v in row])

    def close(self, ok: bool = True) -> None:
        """Finish the file; with ``ok=False`` discard it and keep whatever was there before."""
        try:
            if ok:
                with _writing(self.path):
                    if self.fmt == "xlsx":
                        self._book.save(self._tmp)
                    else:
                        self._file.close()
        except BaseException:
            ok = False
            raise
        finally:
            if self.fmt != "xlsx":
                with contextlib.suppress(OSError):
                    self._file.close()
            _finish(self._tmp, self.path, ok)

    def __enter__(self) -> "TableWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close(ok=exc_type is None)


def _display_width(text: str) -> int:
    """Columns a string takes on screen: CJK characters count double."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def write_table(frame: pd.DataFrame, path: str | os.PathLike, fmt: str) -> Path:
    """Write one whole table atomically."""
    with TableWriter(path, fmt, list(frame.columns)) as writer:
        writer.write(frame)
    return Path(path)
