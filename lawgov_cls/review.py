"""Correct and retrain: pick paragraphs for an analyst, write them to a workbook, read the
corrected workbook back and add its rows to the corpus.

Sampling rule (``select_for_review``), deterministic:

1. Candidates are the tagged paragraphs that are not page furniture and have at least
   ``MIN_CHARS`` letters (Chinese characters count; digits and punctuation do not):
   furniture is 其他 by rule, and a date or a stray word is not worth an analyst's minute.
2. Within each report, candidates are ranked by the margin between the two most probable
   labels, smallest first; ties go to the higher entropy of the seven probabilities, then
   to document order.
3. Reports take turns (round-robin): each round, every report with candidates left gives
   its next paragraph, reports ordered by their most uncertain paragraph, until N are
   picked. So every report contributes (when N ≥ the number of reports), none gives more
   than ceil(N / reports) while the others still have candidates, and one long report
   cannot fill the workbook.

The workbook (``write_review_workbook``) has a ``review`` sheet, one row per picked
paragraph, and a ``labels`` sheet with the label definitions and the boundary rules of
``data/GUIDELINES.md`` in short. Every text cell is stored as text, never as a formula.

``add_labels`` reads a filled workbook; every filled ``label_corrected`` (and optional
``also``) is checked against the label set, and any bad row refuses the whole workbook.
Valid rows go into the corpus with ``source`` ``reviewed`` and ``doc`` ``reviewed/<doc as
tagged>``, so that the same report reviewed again maps to the same document.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from lawgov_cls.labels import DESCRIPTIONS, LABELS, OTHER

#: Paragraphs with fewer letters (Chinese characters count) are never picked.
MIN_CHARS = 6
#: Default number of paragraphs per review workbook.
DEFAULT_N = 50
#: Prefix of the corpus ``doc`` of reviewed paragraphs.
REVIEWED_PREFIX = "reviewed/"
REVIEW_SHEET = "review"
LABELS_SHEET = "labels"

PROBABILITY_COLUMNS = [f"p_{label}" for label in LABELS]
#: Columns of the review sheet, in order; the analyst fills the last two.
REVIEW_COLUMNS = ["doc", "para", "heading", "text", "label", "confidence", "label_2", "p_label_2",
                  "evidence", "label_corrected", "also"]
_WIDTHS = {"doc": 24, "para": 6, "heading": 28, "text": 80, "label": 9, "confidence": 10,
           "label_2": 9, "p_label_2": 10, "evidence": 30, "label_corrected": 16, "also": 16}

#: The boundary rules of data/GUIDELINES.md, one line each.
BOUNDARY_RULES = (
    "普法 for citizens, enterprises, villages → 化解纠纷; law study and training of officials → 能力.",
    "Training and certification of 执法人员 → 执法; training of officials in general → 能力.",
    "Supervision of enforcement (执法监督, 案卷评查) → 执法; of government power (人大, 审计, "
    "政务公开, 问责) → 监督.",
    "规范性文件 and other rule-making (制度建设) → 决策.",
    "法律顾问 advising decisions or documents → 决策; resolving disputes, serving villagers → 化解纠纷.",
    "公共法律服务 → 化解纠纷, even under a 职能 heading.",
    "A heading alone takes the label of the task it announces; a structural heading "
    "(主要举措, 存在问题, 下一步打算) → 其他.",
    "A paragraph listing several tasks: the task with most of the text is the label, the "
    "others go into also; no majority and three or more tasks → 其他.",
    "A single-topic document (政府信息公开年报, 执法统计, 复议应诉, 建议提案…): its opening, "
    "topical headings and statistics take the document's topic; title, dates, signatures and "
    "part headings (一、总体情况, 二、主要做法) → 其他.",
    "Opening boilerplate (坚持以…为指导, 深入贯彻落实…) does not decide: the task the paragraph "
    "then describes does.",
    "述法: the leader's own study → 能力; the leader's account of a task → that task; "
    "the 第一责任人 duty as organisation (部署, 听取汇报, 考核) → 其他.",
)


class ReviewError(Exception):
    """A review workbook that cannot be used; ``problems`` has one line per bad row."""

    def __init__(self, path, problems: list[str]):
        self.path, self.problems = str(path), problems
        super().__init__(f"{path}: " + "; ".join(problems[:3]))


# --- selection ------------------------------------------------------------------------


def uncertainty(tagged: pd.DataFrame) -> pd.DataFrame:
    """Second label, its probability, margin (top-1 minus top-2) and entropy per row of a
    tagged table (columns ``p_<label>``)."""
    proba = tagged[PROBABILITY_COLUMNS].to_numpy(dtype=float)
    order = np.argsort(-proba, axis=1, kind="stable")
    rows = np.arange(len(proba))
    first, second = proba[rows, order[:, 0]], proba[rows, order[:, 1]]
    with np.errstate(divide="ignore", invalid="ignore"):
        entropy = -np.where(proba > 0, proba * np.log(proba), 0.0).sum(axis=1)
    return pd.DataFrame({"label_2": np.array(LABELS, dtype=object)[order[:, 1]],
                         "p_label_2": second, "margin": first - second, "entropy": entropy},
                        index=tagged.index)


def review_candidates(tagged: pd.DataFrame, min_chars: int = MIN_CHARS) -> pd.DataFrame:
    """The rows worth a look at all: not furniture, at least ``min_chars`` letters; with
    the uncertainty columns added."""
    chars = tagged["text"].fillna("").astype(str).map(lambda t: sum(ch.isalpha() for ch in t))
    furniture = tagged["furniture"].astype(bool) if "furniture" in tagged else False
    keep = tagged[~furniture & (chars >= min_chars)]
    return pd.concat([keep, uncertainty(keep)], axis=1)


def select_for_review(tagged: pd.DataFrame, n: int = DEFAULT_N,
                      min_chars: int = MIN_CHARS) -> pd.DataFrame:
    """The ``n`` paragraphs of ``tagged`` most worth a human look (see the module docstring),
    in document order."""
    candidates = review_candidates(tagged, min_chars)
    if candidates.empty or n <= 0:
        return candidates.iloc[:0]
    ranked = candidates.sort_values(["margin", "entropy", "doc", "para"],
                                    ascending=[True, False, True, True], kind="stable")
    turn = ranked.groupby("doc", sort=False).cumcount()
    report_order = {doc: i for i, doc in enumerate(ranked["doc"].drop_duplicates())}
    ranked = ranked.assign(_turn=turn.to_numpy(), _report=ranked["doc"].map(report_order))
    picked = ranked.sort_values(["_turn", "_report"], kind="stable").head(n)
    return picked.drop(columns=["_turn", "_report"]).sort_values(["doc", "para"], kind="stable")


def random_selection(tagged: pd.DataFrame, n: int, seed: int,
                     min_chars: int = MIN_CHARS) -> pd.DataFrame:
    """``n`` candidates (same rule for furniture and length) drawn uniformly at random:
    the comparison for ``select_for_review``."""
    candidates = review_candidates(tagged, min_chars)
    return candidates.sample(n=min(n, len(candidates)), random_state=seed).sort_values(
        ["doc", "para"], kind="stable")


# --- the review workbook --------------------------------------------------------------

_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Excel refuses cells over 32,767 characters.
_EXCEL_MAX_CELL = 32_000


def _set(cell, value) -> None:
    """Put ``value`` in a cell; text stays text (openpyxl would make ``=…`` a formula)."""
    if isinstance(value, str):
        if len(value) > _EXCEL_MAX_CELL:
            value = value[:_EXCEL_MAX_CELL] + "…"
        cell.value = _XML_ILLEGAL.sub("\ufffd", value)
        cell.data_type = "s"
    elif hasattr(value, "item"):  # numpy scalar
        cell.value = value.item()
    else:
        cell.value = value


def write_review_workbook(picked: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write the review workbook atomically: the ``review`` sheet (``REVIEW_COLUMNS``, an
    empty ``label_corrected`` with a drop-down of the labels) and the ``labels`` sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from lawgov_cls.output import atomic_path

    book = Workbook()
    sheet = book.active
    sheet.title = REVIEW_SHEET
    for j, name in enumerate(REVIEW_COLUMNS, 1):
        _set(sheet.cell(row=1, column=j), name)
        sheet.cell(row=1, column=j).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(j)].width = _WIDTHS[name]
    rows = picked.assign(label_corrected="", also="").reindex(columns=REVIEW_COLUMNS)
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, values in enumerate(rows.itertuples(index=False), 2):
        for j, (name, value) in enumerate(zip(REVIEW_COLUMNS, values), 1):
            cell = sheet.cell(row=i, column=j)
            if name in ("label_corrected", "also"):
                continue  # left empty for the analyst
            if name in ("confidence", "p_label_2"):
                value = round(float(value), 3)
                cell.number_format = "0.000"
            elif name == "para":
                value = int(value)
            elif isinstance(value, float) and value != value:
                value = ""
            _set(cell, value)
            cell.alignment = wrap
    sheet.freeze_panes = "E2"
    last = max(2, len(rows) + 1)
    column = get_column_letter(REVIEW_COLUMNS.index("label_corrected") + 1)
    choose = DataValidation(type="list", formula1='"' + ",".join(LABELS) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle="label",
                            error="Choose one of: " + ", ".join(LABELS),
                            showInputMessage=True, promptTitle="label_corrected",
                            prompt="The right label (also when the model was right)")
    choose.add(f"{column}2:{column}{last}")
    sheet.add_data_validation(choose)
    also = get_column_letter(REVIEW_COLUMNS.index("also") + 1)
    hint = DataValidation(type="textLength", operator="lessThanOrEqual", formula1="100",
                          allow_blank=True, showInputMessage=True, promptTitle="also",
                          prompt="Optional: other task labels, separated by ; (never 其他)")
    hint.add(f"{also}2:{also}{last}")
    sheet.add_data_validation(hint)
    _labels_sheet(book.create_sheet(LABELS_SHEET))
    with atomic_path(path) as tmp:
        book.save(tmp)
    return Path(path)


def _labels_sheet(sheet) -> None:
    from openpyxl.styles import Alignment, Font

    lines: list[tuple[str, str]] = [("label", "definition")]
    lines += [(label, DESCRIPTIONS[label]) for label in LABELS]
    lines += [("", ""), ("rule", "boundary rules (data/GUIDELINES.md, section 3)")]
    lines += [(str(i), rule) for i, rule in enumerate(BOUNDARY_RULES, 1)]
    lines += [("", ""), ("how", "Fill label_corrected for every row you checked (also when the "
                          "model was right); leave it empty to skip the row. also: other task "
                          "labels the paragraph clearly serves, separated by ;. Then run "
                          "`lawgov-cls add-labels` on this file.")]
    for i, (a, b) in enumerate(lines, 1):
        _set(sheet.cell(row=i, column=1), a)
        _set(sheet.cell(row=i, column=2), b)
        sheet.cell(row=i, column=2).alignment = Alignment(wrap_text=True, vertical="top")
        if a in ("label", "rule", "how"):
            sheet.cell(row=i, column=1).font = sheet.cell(row=i, column=2).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 10
    sheet.column_dimensions["B"].width = 110


@dataclass
class ReviewResult:
    """What ``review_reports`` did; ``errors`` holds (path, reason) per unreadable file."""

    files: int = 0
    tagged: int = 0
    candidates: int = 0
    picked: pd.DataFrame | None = None
    errors: list[tuple[str, str]] = field(default_factory=list)
    path: Path | None = None

    @property
    def exit_code(self) -> int:
        return 1 if self.errors or self.path is None else 0


def review_reports(model, inputs, out: str | os.PathLike, n: int = DEFAULT_N, jobs: int = 1,
                   progress: bool = False, **tag_options) -> ReviewResult:
    """Tag every report under ``inputs``, pick ``n`` paragraphs and write the workbook
    ``out`` (not written when no paragraph qualifies). A bad file is listed in ``errors``
    and the others go on."""
    from lawgov_cls.tag import iter_tagged

    result = ReviewResult()
    keep = ["doc", "para", "heading", "text", "label", "confidence", "evidence", "furniture",
            *PROBABILITY_COLUMNS]
    parts = []
    for _doc, tagged, error in iter_tagged(model, inputs, jobs=jobs, progress=progress,
                                           **tag_options):
        result.files += 1
        if error:
            result.errors.append(error)
            continue
        result.tagged += 1
        frame = tagged.frame
        parts.append(frame.loc[~frame["furniture"].astype(bool), keep])
    tagged = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=keep)
    result.candidates = len(review_candidates(tagged))
    result.picked = select_for_review(tagged, n)
    if len(result.picked):
        result.path = write_review_workbook(result.picked, out)
    return result


# --- reading the workbook back ----------------------------------------------------------

_SEPARATORS = re.compile(r"[;,、\s]+")  # after NFKC, ；and ，are ; and ,


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _check_row(row: dict) -> tuple[dict | None, list[str]]:
    """A corpus row from one review row, or what is wrong with it."""
    # Labels hold no spaces; a stray one typed in a cell is not worth refusing the file for.
    label = re.sub(r"\s+", "", unicodedata.normalize("NFKC", _text(row.get("label_corrected"))))
    also = unicodedata.normalize("NFKC", _text(row.get("also")))
    problems = []
    if not label:
        problems.append("also is filled but label_corrected is empty")
    elif label not in LABELS:
        problems.append(f"label_corrected {label!r} is not one of {', '.join(LABELS)}")
    extra = [x for x in _SEPARATORS.split(also) if x]
    for x in extra:
        if x not in LABELS:
            problems.append(f"also {x!r} is not a label")
        elif x == OTHER:
            problems.append(f"also may not hold {OTHER}")
        elif x == label:
            problems.append(f"also repeats the label {x}")
    if len(set(extra)) < len(extra):
        problems.append("also names a label twice")
    doc, text = _text(row.get("doc")), _text(row.get("text"))
    if not doc:
        problems.append("doc is empty")
    if not text:
        problems.append("text is empty")
    try:
        para = int(_text(row.get("para")))
        if para < 0:
            raise ValueError
    except ValueError:
        problems.append(f"para {_text(row.get('para'))!r} is not a paragraph number")
        para = -1
    if problems:
        return None, problems
    return {"doc": REVIEWED_PREFIX + doc, "para": para, "text": text, "label": label,
            "also": ";".join(extra), "source": "reviewed", "heading": _text(row.get("heading"))}, []


def read_review_workbook(path: str | os.PathLike) -> tuple[pd.DataFrame, int]:
    """The corpus rows of a filled review workbook, and how many rows were left empty.

    Raises ReviewError listing every bad row (by its row number in the sheet) when any
    filled row is invalid, or with one problem when the file is not a review workbook.
    """
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    try:
        book = load_workbook(path, read_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise ReviewError(path, ["not a readable .xlsx workbook (save it as .xlsx; "
                                 f"{type(exc).__name__})"]) from None
    try:
        sheet = book[REVIEW_SHEET] if REVIEW_SHEET in book.sheetnames else book.worksheets[0]
        lines = sheet.iter_rows()
        header = [_text(c.value) for c in next(lines, ())]
        missing = [c for c in ("doc", "para", "heading", "text", "label_corrected")
                   if c not in header]
        if missing:
            raise ReviewError(path, [f"sheet {sheet.title!r} has no column "
                                     f"{', '.join(missing)} (not a review workbook?)"])
        rows, problems, empty, seen = [], [], 0, {}
        for number, cells in enumerate(lines, 2):
            cells = list(cells)
            record = {name: cells[j].value for j, name in enumerate(header)
                      if name and j < len(cells)}
            formulas = [name for j, name in enumerate(header)
                        if name and j < len(cells) and cells[j].data_type == "f"]
            if not _text(record.get("label_corrected")) and not _text(record.get("also")):
                empty += int(any(_text(v) for v in record.values()))
                continue
            if formulas:
                row, bad = None, [f"a formula in {', '.join(formulas)}; type the value instead"]
            else:
                row, bad = _check_row(record)
            if row is not None:
                key = (row["doc"], row["para"])
                if key in seen:
                    bad.append(f"same doc and para as row {seen[key]}")
                seen.setdefault(key, number)
            if bad:
                problems.append(f"row {number}: " + "; ".join(bad))
            else:
                rows.append(row)
    finally:
        book.close()
    if problems:
        raise ReviewError(path, problems)
    from lawgov_cls.corpus import COLUMNS

    return pd.DataFrame(rows, columns=COLUMNS), empty


@dataclass
class AddResult:
    """What ``add_labels`` did to the corpus."""

    corpus: Path
    added: int
    replaced: int
    skipped: int
    empty: int
    total: int


def add_labels(workbook: str | os.PathLike, corpus_path: str | os.PathLike) -> AddResult:
    """Add the corrected rows of ``workbook`` to the corpus CSV at ``corpus_path``.

    The whole workbook is checked first; with any bad row, ReviewError is raised and the
    corpus is not touched. A row replaces an earlier reviewed row of the same document and
    paragraph; a row whose text is already in the corpus, or in the held-out ``dev.csv``
    beside it, is skipped. The corpus is rewritten atomically.
    """
    from lawgov_cls.corpus import load_corpus, merge_reviewed, write_corpus

    rows, empty = read_review_workbook(workbook)
    corpus = load_corpus(corpus_path)
    dev = Path(corpus_path).parent / "dev.csv"
    held_out = load_corpus(dev, validate=False)["text"] if dev.is_file() else ()
    merged = merge_reviewed(corpus, rows, held_out)
    if not merged.corpus.equals(corpus):
        write_corpus(merged.corpus, corpus_path)
    return AddResult(corpus=Path(corpus_path), added=merged.added, replaced=merged.replaced,
                     skipped=merged.skipped, empty=empty, total=len(merged.corpus))

