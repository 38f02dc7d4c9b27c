"""Coverage statistics: how much of each report serves each 纲要 task.

Page-furniture paragraphs are left out. For each task label a report gets a paragraph
count and a share of characters; ``missing`` lists the task labels it never addresses.
The structure columns (genre, title, year, published, late, parts_missing) come from
structure.check_structure when the caller passes its result.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lawgov_cls.labels import TASK_LABELS
from lawgov_cls.structure import STRUCTURE_COLUMNS, ReportStructure

BATCH_DOC = "(all reports)"


def count_column(label: str) -> str:
    return f"n_{label}"


def share_column(label: str) -> str:
    return f"share_{label}"


COVERAGE_COLUMNS = (["doc", "paragraphs", "chars"]
                    + [count_column(l) for l in TASK_LABELS]
                    + [share_column(l) for l in TASK_LABELS] + ["missing"] + STRUCTURE_COLUMNS)


_NO_STRUCTURE = {"genre": "", "title": "", "year": None, "published": "", "late": None,
                 "parts_missing": ""}


def report_coverage(tagged: pd.DataFrame, doc: str | None = None,
                    structure: ReportStructure | None = None) -> dict:
    """One coverage row for one report's tagged paragraphs (see tag.tag_text), with the
    structure columns filled from ``structure`` (empty when it is None)."""
    body = tagged[~tagged["furniture"].astype(bool)]
    chars = body["text"].str.len()
    total = int(chars.sum())
    row: dict = {"doc": doc if doc is not None else (tagged["doc"].iloc[0] if len(tagged) else ""),
                 "paragraphs": int(len(body)), "chars": total}
    for label in TASK_LABELS:
        mask = body["label"] == label
        row[count_column(label)] = int(mask.sum())
        row[share_column(label)] = round(float(chars[mask].sum()) / total, 4) if total else 0.0
    row["missing"] = ";".join(l for l in TASK_LABELS if row[count_column(l)] == 0)
    row.update(structure.row() if structure else _NO_STRUCTURE)
    return row


@dataclass
class Coverage:
    """Per-report coverage rows plus the batch view.

    ``reports``: one row per report (COVERAGE_COLUMNS) and a last row for the whole batch.
    ``by_label``: one row per task label: paragraphs, share of characters, and how many
    reports cover or miss it.
    """

    reports: pd.DataFrame
    by_label: pd.DataFrame


def summarize_coverage(rows: list[dict]) -> Coverage:
    """Combine per-report rows (from report_coverage) into a Coverage."""
    reports = pd.DataFrame(rows, columns=COVERAGE_COLUMNS)
    total_chars = int(reports["chars"].sum())
    batch: dict = {"doc": BATCH_DOC, "paragraphs": int(reports["paragraphs"].sum()),
                   "chars": total_chars}
    label_rows = []
    for label in TASK_LABELS:
        count = int(reports[count_column(label)].sum())
        label_chars = float((reports[share_column(label)] * reports["chars"]).sum())
        share = round(label_chars / total_chars, 4) if total_chars else 0.0
        batch[count_column(label)] = count
        batch[share_column(label)] = share
        covering = int((reports[count_column(label)] > 0).sum())
        label_rows.append({"label": label, "paragraphs": count, "share": share,
                           "reports_covering": covering,
                           "reports_missing": int(len(reports) - covering)})
    batch["missing"] = ";".join(l for l in TASK_LABELS if batch[count_column(l)] == 0)
    batch.update(_NO_STRUCTURE)  # the batch view of structure is structure.summarize_structure
    with_batch = pd.DataFrame(rows + [batch], columns=COVERAGE_COLUMNS) if rows else reports
    # year and late stay int/bool with None for unknown, not float NaN, so that every
    # output format shows 2019 and an empty cell rather than 2019.0 and nan.
    for column in ("year", "late"):
        with_batch[column] = pd.Series(
            [None if pd.isna(v) else (int(v) if column == "year" else bool(v))
             for v in with_batch[column]], index=with_batch.index, dtype=object)
    return Coverage(reports=with_batch, by_label=pd.DataFrame(label_rows))
