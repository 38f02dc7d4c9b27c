"""Writing result tables: atomically (temp file, then rename), as CSV, JSON lines or Excel.

``TableWriter`` streams rows to disk one report at a time, so a batch of thousands of
reports never sits in memory at once.
"""

from __future__ import annotations

import contextlib
import json
import os
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


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _temp_beside(path: Path) -> Path:
    """A new empty temp file in the same directory, so that os.replace is atomic."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    # mkstemp makes the file private (0600); results are ordinary files for their readers.
    os.chmod(tmp, 0o666 & ~_umask())
    return Path(tmp)


def _finish(tmp: Path, path: Path, ok: bool) -> None:
    if ok:
        os.replace(tmp, path)
    elif tmp.exists():
        tmp.unlink()


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temp path beside ``path``; rename it over ``path`` only if the block succeeds."""
    path = Path(path)
    tmp = _temp_beside(path)
    ok = False
    try:
        yield tmp
        ok = True
    finally:
        _finish(tmp, path, ok)


def _cell(value):
    if isinstance(value, str) and len(value) > _EXCEL_MAX_CELL:
        return value[:_EXCEL_MAX_CELL] + "…"
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


class TableWriter:
    """Append DataFrames with the same columns to one output file, atomically on close.

    CSV is written with a BOM so that Excel and WPS open the Chinese text correctly.
    """

    def __init__(self, path: str | os.PathLike, fmt: str, columns: list[str]):
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
        self.path, self.fmt, self.columns = Path(path), fmt, list(columns)
        self._tmp = _temp_beside(self.path)
        if fmt == "xlsx":
            from openpyxl import Workbook
            from openpyxl.utils import get_column_letter

            self._book = Workbook(write_only=True)
            self._sheet = self._book.create_sheet(self.path.stem)
            self._sheet.freeze_panes = "A2"
            for j, name in enumerate(self.columns, 1):
                width = _EXCEL_WIDTHS.get(name, max(8, _display_width(name) + 2))
                self._sheet.column_dimensions[get_column_letter(j)].width = width
            self._sheet.append(self.columns)
        else:
            encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
            self._file = open(self._tmp, "w", encoding=encoding, newline="")
            if fmt == "csv":
                pd.DataFrame(columns=self.columns).to_csv(self._file, index=False)

    def write(self, frame: pd.DataFrame) -> None:
        frame = frame.reindex(columns=self.columns)
        if self.fmt == "csv":
            frame.to_csv(self._file, index=False, header=False)
        elif self.fmt == "jsonl":
            for record in frame.to_dict(orient="records"):
                self._file.write(json.dumps({k: _cell(v) for k, v in record.items()},
                                            ensure_ascii=False, default=str) + "\n")
        else:
            for row in frame.itertuples(index=False):
                self._sheet.append([_cell(v) for v in row])

    def close(self, ok: bool = True) -> None:
        """Finish the file; with ``ok=False`` discard it and keep whatever was there before."""
        try:
            if self.fmt == "xlsx":
                self._book.save(self._tmp)
            else:
                self._file.close()
        except BaseException:
            ok = False
            raise
        finally:
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
