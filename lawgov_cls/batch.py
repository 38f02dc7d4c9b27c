"""A batch run: tag every input, then write its tables, workbook and report.html.

``tag_batch(model, inputs, out_dir, options)`` is what ``lawgov-cls tag`` and
``lawgov-cls coverage`` call. Its options are one ``TagOptions``; keyword arguments
override single fields (``tag_batch(model, ["inbox"], "out", fmt="xlsx", jobs=2)``).
Outputs go to a folder (written atomically; the previous run's outputs that this run does
not rewrite are removed, never other files) or, when ``out_dir`` is a text stream, only the
paragraph table (coverage table for ``write_paragraphs=False``) goes to that stream.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lawgov_cls.coverage import (COVERAGE_COLUMNS, DEFAULT_MIN_PARAGRAPHS, DEFAULT_MIN_SHARE,
                                 Coverage, report_coverage, summarize_coverage)
from lawgov_cls.output import (FORMATS, TableWriter, check_writable, remove_stale_outputs,
                               write_table)
from lawgov_cls.read import DEFAULT_MAX_BYTES
from lawgov_cls.structure import (DEFAULT_DEADLINE, StructureSummary,
                                  summarize_structure)
from lawgov_cls.tag import (DEFAULT_TIMEOUT, PARAGRAPH_COLUMNS, REVIEW_THRESHOLD,
                            iter_tagged)

ERROR_COLUMNS = ["path", "reason"]
REPORT_NAME = "report.html"


@dataclass(frozen=True)
class TagOptions:
    """Everything a batch run can be told (the options of ``lawgov-cls tag``).

    ``fmt``: csv, jsonl or xlsx (one workbook). ``max_bytes``: the largest input file.
    ``timeout``: seconds per file (None or 0: no limit). ``review_threshold``: paragraphs
    below this confidence get review=True. ``deadline``: (month, day) after which an annual
    report is late. ``min_paragraphs`` / ``min_share``: the coverage rule. ``html``: also
    write report.html. ``write_paragraphs``: False for the coverage command.
    """

    fmt: str = "csv"
    jobs: int = 1
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float | None = DEFAULT_TIMEOUT
    review_threshold: float = REVIEW_THRESHOLD
    deadline: tuple[int, int] = DEFAULT_DEADLINE
    min_paragraphs: int = DEFAULT_MIN_PARAGRAPHS
    min_share: float = DEFAULT_MIN_SHARE
    write_paragraphs: bool = True
    html: bool = True
    progress: bool = False

    def __post_init__(self):
        if self.fmt not in FORMATS:
            raise ValueError(f"unknown format {self.fmt!r}; expected one of {FORMATS}")
        if not 0 <= self.min_share <= 1:
            raise ValueError(f"min_share {self.min_share} is not a share between 0 and 1")


@dataclass
class BatchResult:
    """What a batch run did. ``errors`` holds (path, reason) for each file that failed."""

    files: int = 0
    tagged: int = 0
    paragraphs: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    coverage: Coverage | None = None
    structure: StructureSummary | None = None
    outputs: dict[str, Path] = field(default_factory=dict)
    options: TagOptions = field(default_factory=TagOptions)

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0

    @property
    def errors_table(self) -> pd.DataFrame:
        return pd.DataFrame(self.errors, columns=ERROR_COLUMNS)


class _Writers:
    """The outputs of one run, open while it tags; ``finish`` completes them, ``discard``
    drops every temp file and leaves the folder as it was."""

    def __init__(self, out, options: TagOptions):
        self.options = options
        self.stream = out if hasattr(out, "write") else None
        self.folder = None if self.stream else Path(out)
        self.rows = self.book = self.html = None
        fmt = options.fmt
        if self.stream is not None:
            if fmt == "xlsx":
                raise ValueError("a workbook cannot be written to a stream; use csv or jsonl")
            columns = PARAGRAPH_COLUMNS if options.write_paragraphs else COVERAGE_COLUMNS
            self.rows = TableWriter(None, fmt, columns, stream=self.stream)
            return
        try:
            if fmt == "xlsx":
                from lawgov_cls.workbook import SHEETS, WORKBOOK_NAME, ResultsWorkbook

                sheets = [s for s in SHEETS if options.write_paragraphs or s != "paragraphs"]
                self.book = ResultsWorkbook(self.folder / WORKBOOK_NAME, options.min_share, sheets)
                if options.write_paragraphs:
                    self.rows = self.book.table("paragraphs", PARAGRAPH_COLUMNS)
            elif options.write_paragraphs:
                self.rows = TableWriter(self.folder / f"paragraphs.{fmt}", fmt, PARAGRAPH_COLUMNS)
            if options.html:
                from lawgov_cls.report import HtmlReport

                self.html = HtmlReport(self.folder / REPORT_NAME, options)
        except BaseException:
            self.discard()
            raise

    def add(self, frame: pd.DataFrame, row: dict) -> None:
        if self.stream is not None:
            self.rows.write(frame if self.options.write_paragraphs
                            else pd.DataFrame([row], columns=COVERAGE_COLUMNS))
            return
        if self.rows is not None:
            self.rows.write(frame)
        if self.html is not None:
            self.html.add(frame, row)

    def finish(self, result: BatchResult) -> dict[str, Path]:
        if self.stream is not None:
            self.rows.close()
            return {}
        outputs: dict[str, Path] = {}
        fmt, cov, folder = self.options.fmt, result.coverage, self.folder
        tables = {"coverage": cov.reports, "coverage_by_label": cov.by_label,
                  "coverage_batch": cov.batch}
        if self.book is not None:
            for name, frame in tables.items():
                self.book.table(name, list(frame.columns)).write(frame)
            self.book.table("errors", ERROR_COLUMNS).write(result.errors_table)
            self.book.close()
            outputs["workbook"] = self.book.path
        else:
            if self.rows is not None:
                self.rows.close()
                outputs["paragraphs"] = self.rows.path
            for name, frame in tables.items():
                outputs[name] = write_table(frame, folder / f"{name}.{fmt}", fmt)
            outputs["errors"] = write_table(result.errors_table, folder / "errors.csv", "csv")
        if self.html is not None:
            outputs["report"] = self.html.close(result)
        return outputs

    def discard(self) -> None:
        for writer in (self.rows if self.book is None else None, self.book, self.html):
            if writer is not None:
                writer.close(ok=False)


def tag_batch(model, inputs, out_dir, options: TagOptions | None = None, stdin=None,
              **overrides) -> BatchResult:
    """Tag every report under ``inputs`` (paths, or one path; ``-`` reads ``stdin``).

    Writes into the folder ``out_dir``: ``paragraphs.<fmt>``, ``coverage.<fmt>``,
    ``coverage_by_label.<fmt>``, ``coverage_batch.<fmt>`` and ``errors.csv`` (with
    ``fmt="xlsx"``: one workbook, results.xlsx, with a sheet per table) and report.html,
    each atomically. When ``out_dir`` is a text stream, only the paragraph table (the
    coverage table without ``write_paragraphs``) is written to it. Unreadable inputs are
    listed in ``errors``; an output that cannot be written raises OutputError (checked
    before any file is tagged).
    """
    if isinstance(options, str):  # tag_batch(model, inputs, out, "xlsx"), as before TagOptions
        options, overrides = None, {"fmt": options, **overrides}
    options = dataclasses.replace(options or TagOptions(), **overrides)
    if not hasattr(out_dir, "write"):
        out_dir = Path(out_dir)
        check_writable(out_dir)
    result = BatchResult(options=options)
    rows: list[dict] = []
    writers = _Writers(out_dir, options)
    ok = False
    try:
        for doc, tagged, error in iter_tagged(model, inputs, options.jobs, options.max_bytes,
                                              options.review_threshold, options.progress,
                                              options.timeout, stdin=stdin):
            result.files += 1
            if error:
                result.errors.append(error)
                continue
            frame, structure = tagged.frame, tagged.structure.with_deadline(options.deadline)
            result.tagged += 1
            result.paragraphs += len(frame)
            row = report_coverage(frame, doc, structure, options.min_paragraphs,
                                  options.min_share)
            rows.append(row)
            writers.add(frame, row)
        result.coverage = summarize_coverage(rows)
        result.structure = summarize_structure(rows)
        result.outputs = writers.finish(result)
        ok = True
    finally:
        if not ok:
            writers.discard()
    if isinstance(out_dir, (str, os.PathLike)):
        remove_stale_outputs(out_dir, result.outputs.values())
    return result
