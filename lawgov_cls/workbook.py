"""The results workbook: every table of a run as a sheet of one .xlsx file.

Written with XlsxWriter in constant-memory mode (rows go to disk as they come, so a batch
of thousands of reports never sits in memory) and atomically (a temp file renamed at the
end). Every sheet has a bold frozen header, an autofilter, wrapped text, sized columns and a
landscape print set-up fitted to the page width with the header repeated on each page.
Shares are percentages with a colour scale; tasks a report misses are red; booleans are
Excel's TRUE/FALSE. Text is always written as text, never as a formula, with control
characters shown as ``\\x01`` escapes.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import pandas as pd

from lawgov_cls.labels import LABELS
from lawgov_cls.output import _finish, _temp_beside, _writing, excel_text

WORKBOOK_NAME = "results.xlsx"
#: Sheets in the order they appear: the answer first, the detail after.
SHEETS = ("coverage", "coverage_by_label", "coverage_batch", "paragraphs", "errors")

#: Label colours, shared with report.html (a colour-blind-safe Tableau 10 subset).
LABEL_COLOURS = dict(zip(LABELS, ("#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F",
                                  "#EDC948", "#BAB0AC")))
_TINTS = dict(zip(LABELS, ("#DCE6F1", "#FDE5CC", "#F9D7D7", "#DDF0EE", "#DCEFD8",
                           "#FBF4D2", "#EEECEA")))
_MISSING_FILL, _MISSING_FONT = "#F8CBAD", "#9C0006"
_WARN_FILL = "#FFEB9C"
_BOOL = '"TRUE";"TRUE";"FALSE"'
_SCALE_MAX = "#63BE7B"

# Widths in Excel character units; the rest by kind of column.
_WIDTHS = {"doc": 20, "title": 26, "issuer": 16, "year": 5, "missing": 10, "thin": 8,
           "heading": 22, "text": 80, "evidence": 26, "label": 8, "para": 5,
           "path": 50, "reason": 80, "genre": 10, "published": 10, "parts_missing": 12,
           "late": 6, "furniture": 9, "review": 7, "confidence": 10, "paragraphs": 9,
           "chars": 8}
_LINE_HEIGHT = 13.0  # points per line of 10-point text
_MAX_ROW_HEIGHT = 409.0  # Excel's limit
_WRAPPED = {"doc", "title", "issuer", "missing", "thin", "heading", "text", "evidence",
            "path", "reason", "parts_missing"}
_OPTIONS = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
            "strings_to_numbers": False}


def _text_units(text: str) -> float:
    """Width of a text in Excel character units, roughly: CJK characters count double."""
    utf8 = len(text.encode("utf-8", "surrogatepass"))
    return (utf8 - len(text)) + (3 * len(text) - utf8) / 2  # 3 bytes: 2 units; 1 byte: 1


def _kind(column: str) -> str:
    if column.startswith("share") or column == "share":
        return "share"
    if column.startswith("p_") or column == "confidence":
        return "probability"
    if column in ("review", "furniture", "late"):
        return "bool"
    if column in _WRAPPED:
        return "wrap"
    return "plain"


class ResultsWorkbook:
    """One workbook, its sheets created up front (in SHEETS order) and filled as the run goes.

    ``table(name, columns)`` returns a writer for one sheet; ``close()`` finishes every
    sheet and renames the file into place (``close(ok=False)`` discards it).
    """

    def __init__(self, path: str | os.PathLike, min_share: float = 0.0, sheets=SHEETS):
        import xlsxwriter

        self.path = Path(path)
        self.min_share = min_share
        self._tmp = _temp_beside(self.path)
        try:
            self._book = xlsxwriter.Workbook(str(self._tmp), _OPTIONS)
            self._formats: dict = {}
            self._sheets = {name: self._book.add_worksheet(name) for name in sheets}
            self._tables: dict[str, SheetWriter] = {}
        except BaseException:
            _finish(self._tmp, self.path, ok=False)
            raise

    def fmt(self, **props):
        """A cell format, made once per distinct set of properties."""
        key = tuple(sorted(props.items()))
        if key not in self._formats:
            base = {"valign": "top", "font_name": "Calibri", "font_size": 10}
            self._formats[key] = self._book.add_format(base | props)
        return self._formats[key]

    def table(self, name: str, columns: list[str]) -> "SheetWriter":
        writer = SheetWriter(self, self._sheets[name], name, list(columns))
        self._tables[name] = writer
        return writer

    def close(self, ok: bool = True) -> None:
        try:
            if ok:
                for writer in self._tables.values():
                    writer.finish()
                with _writing(self.path):
                    self._book.close()
        except BaseException:
            ok = False
            raise
        finally:
            _finish(self._tmp, self.path, ok)

    def __enter__(self) -> "ResultsWorkbook":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close(ok=exc_type is None)


class SheetWriter:
    """Rows of one table into one sheet; DataFrames with the sheet's columns, in order."""

    def __init__(self, book: ResultsWorkbook, sheet, name: str, columns: list[str]):
        self.book, self.sheet, self.name, self.columns = book, sheet, name, columns
        self.rows = 0
        self._kinds = [_kind(c) for c in columns]
        f = book.fmt
        # A number format for booleans, so that LibreOffice shows TRUE/FALSE as Excel does.
        self._col_formats = {"share": f(num_format="0.0%"), "probability": f(num_format="0.00"),
                             "bool": f(align="center", num_format=_BOOL),
                             "wrap": f(text_wrap=True), "plain": f()}
        self._label_formats = {l: f(bg_color=_TINTS[l]) for l in LABELS}
        # A missing task's share reads "✗ 0.0%" (still a number): LibreOffice lets the colour
        # scale paint over the red fill that Excel shows.
        self._missing = f(num_format='"✗ "0.0%', bg_color=_MISSING_FILL, font_color=_MISSING_FONT,
                          bold=True)
        self._missing_text = f(text_wrap=True, bg_color=_MISSING_FILL, font_color=_MISSING_FONT,
                               bold=True)
        self._warn_text = f(text_wrap=True, bg_color=_WARN_FILL)
        self._warn_bool = f(align="center", bg_color=_WARN_FILL, num_format=_BOOL)
        header = f(bold=True, text_wrap=True, bg_color="#D9D9D9", bottom=1, valign="vcenter")
        for j, column in enumerate(columns):
            kind = self._kinds[j]
            width = _WIDTHS.get(column, {"share": 10.5, "probability": 7}.get(kind, 8))
            options = {}
            if column.startswith(("p_", "n_")):
                # Detail grouped out of the way (and out of print): the + above shows it.
                options = {"level": 1, "hidden": True}
            sheet.set_column(j, j, width, self._col_formats[kind], options)
            sheet.write_string(0, j, excel_text(column), header)
        sheet.set_row(0, 30)
        self._missing_labels = name == "coverage"
        # Wrapped columns and how many characters a line of each holds: row heights are set
        # from them, as neither Excel nor LibreOffice fits rows to wrapped text on opening.
        self._wrapped = [(j, _WIDTHS.get(c, 8) * 1.1) for j, c in enumerate(columns)
                         if self._kinds[j] == "wrap"]

    def write(self, frame: pd.DataFrame) -> None:
        frame = frame.reindex(columns=self.columns)
        sheet, kinds = self.sheet, self._kinds
        share_labels = [c[len("share_"):] if c.startswith("share_") else None for c in self.columns]
        label_at = self.columns.index("label") if "label" in self.columns else -1
        missing_at = self.columns.index("missing") if self._missing_labels else -1
        for values in frame.itertuples(index=False, name=None):
            self.rows += 1
            r = self.rows
            lines = max([math.ceil(_text_units(values[j]) / per_line) for j, per_line
                         in self._wrapped if isinstance(values[j], str)] or [1])
            if lines > 1:
                sheet.set_row(r, min(_MAX_ROW_HEIGHT, lines * _LINE_HEIGHT + 2))
            missing = (set(str(values[missing_at]).split(";")) if missing_at >= 0 else ())
            for j, value in enumerate(values):
                if value is None or (isinstance(value, float) and math.isnan(value)):
                    continue
                kind = kinds[j]
                if kind == "bool" or isinstance(value, bool):
                    flagged = bool(value) and self.columns[j] in ("review", "late")
                    sheet.write_boolean(r, j, bool(value), self._warn_bool if flagged else None)
                elif isinstance(value, str):
                    cell_format = None
                    if j == label_at and value in self._label_formats:
                        cell_format = self._label_formats[value]
                    elif value and j == missing_at:
                        cell_format = self._missing_text
                    elif value and self.columns[j] == "parts_missing":
                        cell_format = self._warn_text
                    sheet.write_string(r, j, excel_text(value), cell_format)
                elif share_labels[j] and share_labels[j] in missing:
                    sheet.write_number(r, j, float(value), self._missing)
                else:
                    sheet.write_number(r, j, float(value) if kind != "plain" else value)

    def finish(self) -> None:
        """Autofilter over the rows written, colour scales, print set-up."""
        sheet, last_col = self.sheet, len(self.columns) - 1
        sheet.freeze_panes(1, 1 if self.name in ("coverage", "paragraphs") else 0)
        sheet.autofilter(0, 0, max(self.rows, 1), last_col)
        shares = [j for j, k in enumerate(self._kinds) if k == "share"]
        if shares and self.rows:
            # Below the coverage threshold: red (and no colour scale below it); above: the
            # greener, the larger the share.
            area = (1, shares[0], self.rows, shares[-1])
            if self._missing_labels:
                sheet.conditional_format(*area, {"type": "cell", "criteria": "<",
                                                 "value": self.book.min_share,
                                                 "format": self._missing, "stop_if_true": True})
            sheet.conditional_format(*area, {"type": "2_color_scale", "min_type": "num",
                                             "min_value": 0, "min_color": "#FFFFFF",
                                             "max_type": "max", "max_color": _SCALE_MAX})
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)  # one page wide, as many long as needed
        sheet.repeat_rows(0)
        sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        sheet.set_header(f"&L&\"Calibri,Bold\"lawgov_cls — {self.name}&R&D")
        sheet.set_footer("&C&P / &N")


def write_workbook(path: str | os.PathLike, tables: dict[str, pd.DataFrame],
                   min_share: float = 0.0) -> Path:
    """Write ``tables`` (sheet name → DataFrame) as one workbook, atomically."""
    with ResultsWorkbook(path, min_share, sheets=tuple(tables)) as book:
        for name, frame in tables.items():
            book.table(name, list(frame.columns)).write(frame)
    return Path(path)
