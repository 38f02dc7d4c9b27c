"""Coverage statistics: how much of each report serves each 纲要 task.

Page-furniture paragraphs are left out. For each task label a report gets a paragraph
count and a share of characters. A task counts as covered when it has at least
``min_paragraphs`` paragraphs and at least ``min_share`` of the report's characters
(``is_covered``); ``missing`` lists the task labels that are not covered, ``thin`` those
of them that have some text all the same. The structure columns (genre, title, issuer,
year, published, late, parts_missing) come from structure.check_structure when the caller
passes its result. The batch totals are a table of their own (``Coverage.batch``), so that
sorting or filtering the per-report table never mixes them in.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lawgov_cls.labels import TASK_LABELS
from lawgov_cls.structure import STRUCTURE_COLUMNS, ReportStructure

#: Defaults of the coverage rule, chosen with train/coverage_threshold.py (see README).
DEFAULT_MIN_PARAGRAPHS = 1
DEFAULT_MIN_SHARE = 0.02


def count_column(label: str) -> str:
    return f"n_{label}"


def share_column(label: str) -> str:
    return f"share_{label}"


SHARE_COLUMNS = [share_column(l) for l in TASK_LABELS]
COUNT_COLUMNS = [count_column(l) for l in TASK_LABELS]
# Who and what first, then the answer (missing), then the figures behind it.
COVERAGE_COLUMNS = (["doc", "title", "issuer", "year", "missing", "thin"] + SHARE_COLUMNS
                    + COUNT_COLUMNS + ["paragraphs", "chars", "genre", "published", "late",
                                       "parts_missing"])
BATCH_COLUMNS = (["reports", "reports_missing_a_task", "paragraphs", "chars"] + SHARE_COLUMNS
                 + COUNT_COLUMNS)
BY_LABEL_COLUMNS = ["label", "paragraphs", "share", "reports_covering", "reports_missing"]
assert set(STRUCTURE_COLUMNS) <= set(COVERAGE_COLUMNS)

_NO_STRUCTURE = {c: "" for c in STRUCTURE_COLUMNS} | {"year": None, "late": None}


def is_covered(paragraphs: int, share: float, min_paragraphs: int = DEFAULT_MIN_PARAGRAPHS,
               min_share: float = DEFAULT_MIN_SHARE) -> bool:
    """The coverage rule: enough paragraphs and enough of the report's characters.

    >>> is_covered(1, 0.01), is_covered(1, 0.05), is_covered(1, 0.05, min_paragraphs=2)
    (False, True, False)
    """
    return paragraphs >= max(1, min_paragraphs) and share >= min_share


def report_coverage(tagged: pd.DataFrame, doc: str | None = None,
                    structure: ReportStructure | None = None,
                    min_paragraphs: int = DEFAULT_MIN_PARAGRAPHS,
                    min_share: float = DEFAULT_MIN_SHARE) -> dict:
    """One coverage row for one report's tagged paragraphs (see tag.tag_text), with the
    structure columns filled from ``structure`` (empty when it is None)."""
    # A plain loop: this runs once per report in the main process of a batch, where a
    # dozen pandas operations per report cost more than tagging the report's paragraphs.
    counts: dict[str, int] = dict.fromkeys(TASK_LABELS, 0)
    sizes: dict[str, int] = dict.fromkeys(TASK_LABELS, 0)
    paragraphs = total = 0
    for text, label, furniture in zip(tagged["text"], tagged["label"], tagged["furniture"]):
        if furniture:
            continue
        size = len(text) if isinstance(text, str) else 0
        paragraphs, total = paragraphs + 1, total + size
        if label in counts:
            counts[label] += 1
            sizes[label] += size
    row: dict = {"doc": doc if doc is not None else (tagged["doc"].iloc[0] if len(tagged) else ""),
                 "paragraphs": paragraphs, "chars": total}
    missing, thin = [], []
    for label in TASK_LABELS:
        count = counts[label]
        share = sizes[label] / total if total else 0.0
        row[count_column(label)] = count
        row[share_column(label)] = round(share, 4)
        if not is_covered(count, share, min_paragraphs, min_share):
            missing.append(label)
            if count:
                thin.append(label)
    row["missing"], row["thin"] = ";".join(missing), ";".join(thin)
    row.update(structure.row() if structure else _NO_STRUCTURE)
    return row


@dataclass
class Coverage:
    """Per-report coverage, the batch totals and the per-label view.

    ``reports``: one row per report (COVERAGE_COLUMNS). ``batch``: one row for the whole
    batch (BATCH_COLUMNS). ``by_label``: one row per task label: paragraphs, share of
    characters, and how many reports cover or miss it.
    """

    reports: pd.DataFrame
    batch: pd.DataFrame
    by_label: pd.DataFrame

    def missing_by_report(self) -> list[tuple[str, list[str]]]:
        """(doc, missing task labels) for every report that misses a task, in batch order."""
        return [(doc, missing.split(";")) for doc, missing
                in zip(self.reports["doc"], self.reports["missing"]) if missing]


def summarize_coverage(rows: list[dict]) -> Coverage:
    """Combine per-report rows (from report_coverage) into a Coverage."""
    reports = pd.DataFrame(rows, columns=COVERAGE_COLUMNS)
    total_chars = int(reports["chars"].sum())
    batch: dict = {"reports": len(reports),
                   "reports_missing_a_task": int((reports["missing"] != "").sum()),
                   "paragraphs": int(reports["paragraphs"].sum()), "chars": total_chars}
    label_rows = []
    for label in TASK_LABELS:
        count = int(reports[count_column(label)].sum())
        label_chars = float((reports[share_column(label)] * reports["chars"]).sum())
        share = round(label_chars / total_chars, 4) if total_chars else 0.0
        batch[count_column(label)] = count
        batch[share_column(label)] = share
        missing = int(reports["missing"].str.split(";").map(lambda m: label in m).sum())
        label_rows.append({"label": label, "paragraphs": count, "share": share,
                           "reports_covering": int(len(reports) - missing),
                           "reports_missing": missing})
    # year and late stay int/bool with None for unknown, not float NaN, so that every
    # output format shows 2019 and an empty cell rather than 2019.0 and nan.
    for column in ("year", "late"):
        reports[column] = pd.Series(
            [None if pd.isna(v) else (int(v) if column == "year" else bool(v))
             for v in reports[column]], index=reports.index, dtype=object)
    return Coverage(reports=reports, batch=pd.DataFrame([batch], columns=BATCH_COLUMNS),
                    by_label=pd.DataFrame(label_rows, columns=BY_LABEL_COLUMNS))
