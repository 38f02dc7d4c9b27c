"""Writing result tables: atomically (temp file, then rename), as CSV, JSON lines or Excel.

``TableWriter`` streams rows to disk (or standard output) one report at a time, so a batch
of thousands of reports never sits in memory at once; workbook.py writes the Excel
workbook. Outputs never run code when opened: Excel cells are
written as text, never as formulas, and CSV cells that a spreadsheet would read as a
formula (a leading ``=``, ``+``, ``-``, ``@``, tab or CR) get a leading ``'`` as OWASP's
CSV-injection guidance describes. A failure to write (read-only or full disk, --out
below a file) is an ``OutputError`` with one line of reason, and leaves no temp file.
"""

from __future__ import annotations

import contextlib
import csv
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


def excel_text(value: str) -> str:
    """Text an Excel cell can hold: at most 32,000 characters, control characters and lone
    surrogates as visible escapes."""
    if len(value) > _EXCEL_MAX_CELL:
        value = value[:_EXCEL_MAX_CELL] + "…"
    return _xml_text(value)


def _csv_rows(frame: pd.DataFrame) -> list[list]:
    """The rows of ``frame`` as CSV cells: text neutralised (csv_safe), missing values empty,
    numbers and booleans as pandas writes them."""
    text = [i for i, dtype in enumerate(frame.dtypes)
            if not (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype))]
    rows = frame.to_numpy(dtype=object).tolist()  # Python scalars: 0.1234, True, 2019, None
    for row in rows:
        for i in text:
            row[i] = csv_safe(row[i])
        for i, value in enumerate(row):
            if value is None or (value.__class__ is float and value != value):
                row[i] = ""
    return rows


class TableWriter:
    """Append DataFrames with the same columns to one CSV or JSON lines output.

    To a file: atomically on close, CSV with a BOM so that Excel and WPS open the Chinese
    text correctly. To a text ``stream`` (standard output): as the rows come, no BOM.
    Excel workbooks are written by workbook.ResultsWorkbook.
    """

    def __init__(self, path: str | os.PathLike | None, fmt: str, columns: list[str],
                 stream=None):
        if fmt not in ("csv", "jsonl"):
            raise ValueError(f"TableWriter writes csv or jsonl, not {fmt!r}")
        self.path, self.fmt, self.columns = (Path(path) if path else None), fmt, list(columns)
        self._stream = stream
        if stream is not None:
            self._tmp, self._file = None, stream
            self._header()
            return
        self._tmp = _temp_beside(self.path)
        try:
            with _writing(self.path):
                encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
                # backslashreplace: a stray surrogate (an undecodable name) must not lose the table.
                self._file = open(self._tmp, "w", encoding=encoding, errors="backslashreplace",
                                  newline="")
                self._header()
        except BaseException:
            _finish(self._tmp, self.path, ok=False)
            raise

    def _header(self) -> None:
        if self.fmt == "csv":
            # The csv module, not DataFrame.to_csv: this writer is called once per report, and
            # pandas' fixed cost per call was a fifth of a batch's time.
            self._csv = csv.writer(self._file, lineterminator="\n")
            self._csv.writerow([csv_safe(c) for c in self.columns])

    def write(self, frame: pd.DataFrame) -> None:
        if list(frame.columns) != self.columns:
            frame = frame.reindex(columns=self.columns)
        # A stream's errors (BrokenPipeError when the reader of a pipe is gone) are the caller's.
        with _writing(self.path) if self._stream is None else contextlib.nullcontext():
            if self.fmt == "csv":
                self._csv.writerows(_csv_rows(frame))
            else:
                for record in frame.to_dict(orient="records"):
                    self._file.write(json.dumps({k: _cell(v) for k, v in record.items()},
                                                ensure_ascii=False, default=str) + "\n")
            if self._stream is not None:
                self._file.flush()  # a pipe's reader gets each report as it is tagged

    def close(self, ok: bool = True) -> None:
        """Finish the file; with ``ok=False`` discard it and keep whatever was there before."""
        if self._stream is not None:
            if ok:
                self._stream.flush()
            return
        try:
            if ok:
                with _writing(self.path):
                    self._file.close()
        except BaseException:
            ok = False
            raise
        finally:
            with contextlib.suppress(OSError):
                self._file.close()
            _finish(self._tmp, self.path, ok)

    def __enter__(self) -> "TableWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close(ok=exc_type is None)


def write_table(frame: pd.DataFrame, path: str | os.PathLike, fmt: str) -> Path:
    """Write one whole table atomically (xlsx: a one-sheet workbook named after the file)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
    if fmt == "xlsx":
        from lawgov_cls.workbook import write_workbook

        return write_workbook(path, {Path(path).stem[:31] or "table": frame})
    with TableWriter(path, fmt, list(frame.columns)) as writer:
        writer.write(frame)
    return Path(path)


#: Every file a run may write into --out, whatever its format: a run removes those of a
#: previous run that it did not write itself, and never any other file.
TABLE_STEMS = ("paragraphs", "coverage", "coverage_by_label", "coverage_batch")
OUTPUT_NAMES = frozenset([f"{stem}.{fmt}" for stem in TABLE_STEMS for fmt in FORMATS]
                         + ["errors.csv", "results.xlsx", "report.html"])


def remove_stale_outputs(folder: str | os.PathLike, written) -> list[Path]:
    """Delete the known output files in ``folder`` that are not in ``written``; return them."""
    folder = Path(folder)
    keep = {Path(p).name for p in written}
    removed = []
    for name in sorted(OUTPUT_NAMES - keep):
        path = folder / name
        if path.is_file() and not path.is_symlink():
            with _writing(path):
                path.unlink()
            removed.append(path)
    return removed
