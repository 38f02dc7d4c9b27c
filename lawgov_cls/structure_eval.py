"""How often check_structure agrees with the labels in data/structure.csv.

The labels give, per document, its genre, title, issuing body, the year it covers, its publication date
and (for annual reports) the required parts it contains. ``structure_accuracy`` returns the
share right per field and split: ``seed`` and ``authored`` are the documents the rules
were developed on, ``dev`` the held-out documents.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import pandas as pd

from lawgov_cls.corpus import REPO_ROOT, parse_authored
from lawgov_cls.labels import ANNUAL_REPORT, GENRES
from lawgov_cls.read import read_report
from lawgov_cls.structure import DEFAULT_DEADLINE, PARTS, check_structure

LABELS_PATH = REPO_ROOT / "data" / "structure.csv"
LABEL_COLUMNS = ["doc", "split", "title", "genre", "year", "published", "issuer", "parts"]
SPLITS = ("seed", "authored", "dev")
FIELDS = ["genre", "title", "issuer", "year", "published", "late"] + [f"part {p}" for p in PARTS]


def load_structure_labels(path: str | Path = LABELS_PATH) -> pd.DataFrame:
    """The labels, all columns as strings; ValueError for a genre, split or part outside the sets."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for column, allowed in (("genre", GENRES), ("split", SPLITS)):
        bad = set(frame[column]) - set(allowed)
        if bad:
            raise ValueError(f"{path}: unknown {column} values {sorted(bad)}")
    parts = {p for cell in frame["parts"] for p in cell.split(";") if p}
    if parts - set(PARTS):
        raise ValueError(f"{path}: unknown parts {sorted(parts - set(PARTS))}")
    return frame[LABEL_COLUMNS]


def document_text(doc: str, root: str | Path = REPO_ROOT) -> str:
    """The text of a labelled document: seeds are read as reports, authored and dev files
    (``LABEL<TAB>TEXT`` lines) lose their paragraph labels."""
    root = Path(root)
    if doc.startswith("seeds/"):
        return read_report(root / doc)
    return "\n".join(parse_authored(root / "data" / doc)["text"])


def predict_structure(labels: pd.DataFrame, root: str | Path = REPO_ROOT,
                      deadline: tuple[int, int] = DEFAULT_DEADLINE) -> pd.DataFrame:
    """check_structure for every labelled document: doc, split and the structure row."""
    rows = []
    for doc, split in zip(labels["doc"], labels["split"]):
        found = check_structure(document_text(doc, root), deadline)
        rows.append({"doc": doc, "split": split, **found.row()})
    return pd.DataFrame(rows)


def _labelled_late(row, deadline) -> bool | None:
    if row["genre"] != ANNUAL_REPORT or not row["year"] or not row["published"]:
        return None
    return dt.date.fromisoformat(row["published"]) > dt.date(int(row["year"]) + 1, *deadline)


def _same_title(expected: str, found: str) -> bool:
    """Equal up to spacing and full-width forms, or the labelled title sits inside the found
    line: labellers differ on whether '某县人民政府关于印发《某县…实施方案》的通知' or the
    plan's own name is the title, and on an issuer line above '关于…的报告'."""
    expected, found = (re.sub(r"\s+", "", unicodedata.normalize("NFKC", t)) for t in (expected, found))
    return expected == found or bool(expected) and expected in found


def _same_issuer(expected: str, found: str) -> bool:
    """The same bodies, whatever separates joint issuers ('A、B', 'A B') and however spaced."""
    def bodies(text: str) -> list[str]:
        return [b for b in re.split(r"[、,,\s]+", unicodedata.normalize("NFKC", text)) if b]

    return bodies(expected) == bodies(found)


def compare(labels: pd.DataFrame, predicted: pd.DataFrame,
            deadline: tuple[int, int] = DEFAULT_DEADLINE) -> pd.DataFrame:
    """One row per document and field: expected, found, right. ``late`` and the parts are
    compared on labelled annual reports only (other genres are not checked)."""
    rows = []
    for (_, want), (_, got) in zip(labels.iterrows(), predicted.iterrows()):
        annual = want["genre"] == ANNUAL_REPORT
        year = "" if pd.isna(got["year"]) or got["year"] is None else str(int(got["year"]))
        pairs = {"genre": (want["genre"], got["genre"]), "year": (want["year"], year),
                 "published": (want["published"], got["published"])}
        if annual:
            pairs["late"] = (_labelled_late(want, deadline), got["late"])
            present = set(filter(None, want["parts"].split(";")))
            missing = set(filter(None, got["parts_missing"].split(";")))
            for part in PARTS:
                pairs[f"part {part}"] = (part in present, part not in missing)
        pairs["title"] = (want["title"], got["title"])
        pairs["issuer"] = (want["issuer"], got["issuer"])
        for name, (expected, found) in pairs.items():
            right = (_same_title(expected, found) if name == "title"
                     else _same_issuer(expected, found) if name == "issuer" else expected == found)
            rows.append({"doc": want["doc"], "split": want["split"], "field": name,
                         "expected": expected, "found": found, "right": right})
    return pd.DataFrame(rows)


def structure_accuracy(labels: pd.DataFrame | None = None, root: str | Path = REPO_ROOT,
                       splits: tuple[str, ...] = SPLITS,
                       deadline: tuple[int, int] = DEFAULT_DEADLINE) -> pd.DataFrame:
    """Share right per split (rows) and field (columns), with document counts.

    A row ``development`` pools the seed and authored splits when both are asked for.
    """
    labels = load_structure_labels() if labels is None else labels
    labels = labels[labels["split"].isin(splits)].reset_index(drop=True)
    checks = compare(labels, predict_structure(labels, root, deadline), deadline)
    groups = [(s, [s]) for s in splits]
    if {"seed", "authored"} <= set(splits):
        groups.insert(2, ("development", ["seed", "authored"]))
    table = []
    for name, members in groups:
        part = checks[checks["split"].isin(members)]
        docs = labels[labels["split"].isin(members)]
        row = {"split": name, "documents": len(docs),
               "annual reports": int((docs["genre"] == ANNUAL_REPORT).sum())}
        for field in FIELDS:
            values = part.loc[part["field"] == field, "right"]
            row[field] = round(float(values.mean()), 3) if len(values) else float("nan")
        table.append(row)
    return pd.DataFrame(table)
