"""The labelled corpus ``data/paragraphs.csv``: loading, validating, hashing, rebuilding.

Seed rows come from the project's own reader and splitter (the same code that tagging
uses). Authored rows come from ``data/authored/*.txt``, one paragraph per line written as
``LABEL[;ALSO...]<TAB>TEXT``; they are split by the same splitter so that their
``heading`` column is what tagging would compute.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from lawgov_cls.labels import LABELS, OTHER
from lawgov_cls.read import normalize_text, read_report
from lawgov_cls.segment import split_paragraphs

COLUMNS = ["doc", "para", "text", "label", "also", "source", "heading"]
SOURCES = ("seed", "authored")
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO_ROOT / "data" / "paragraphs.csv"


class CorpusError(Exception):
    """The labelled corpus is missing or breaks its schema."""


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load_corpus(path: str | Path = DEFAULT_CORPUS, validate: bool = True) -> pd.DataFrame:
    """Read the corpus CSV (all columns as strings, ``para`` as int)."""
    path = Path(path)
    if not path.exists():
        raise CorpusError(f"{path}: labelled corpus not found")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise CorpusError(f"{path}: missing columns {missing}")
    frame["para"] = frame["para"].astype(int)
    if validate:
        problems = validate_corpus(frame)
        if problems:
            raise CorpusError(f"{path}: " + "; ".join(problems[:5]))
    return frame


def validate_corpus(frame: pd.DataFrame) -> list[str]:
    """Schema problems of a corpus frame (an empty list when it is valid)."""
    problems = []
    bad = frame.loc[~frame["label"].isin(LABELS), "label"].unique()
    if len(bad):
        problems.append(f"labels outside the label set: {list(bad)[:5]}")
    for also in frame["also"]:
        extra = [x for x in also.split(";") if x]
        if any(x not in LABELS or x == OTHER for x in extra):
            problems.append(f"bad 'also' value {also!r}")
            break
    if frame.duplicated(["doc", "para"]).any():
        problems.append("duplicate (doc, para) rows")
    bad_sources = set(frame["source"]) - set(SOURCES)
    if bad_sources:
        problems.append(f"unknown sources {sorted(bad_sources)}")
    if (frame["text"].str.strip() == "").any():
        problems.append("empty text")
    return problems


def split_report_rows(path: str | Path, doc: str) -> pd.DataFrame:
    """doc/para/text/heading rows of one report, as the tagger sees it."""
    rows = [{"doc": doc, "para": p.index, "text": p.text, "heading": p.heading}
            for p in split_paragraphs(read_report(path))]
    return pd.DataFrame(rows, columns=["doc", "para", "text", "heading"])


def parse_authored(path: str | Path) -> pd.DataFrame:
    """Rows of one authored report file (``LABEL[;ALSO]<TAB>TEXT`` per line)."""
    path = Path(path)
    labels, lines = [], []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        tag, sep, text = line.partition("\t")
        if not sep or not text.strip():
            raise CorpusError(f"{path}:{number}: expected LABEL<TAB>TEXT")
        labels.append([t.strip() for t in tag.split(";") if t.strip()])
        lines.append(text.strip())
    # Normalised as read_report normalises real reports, so that headings are found alike.
    paragraphs = split_paragraphs(normalize_text("\n".join(lines)))
    if len(paragraphs) != len(lines):
        raise CorpusError(f"{path}: splitter found {len(paragraphs)} paragraphs in "
                          f"{len(lines)} lines (a line was joined as hard-wrapped?)")
    rows = []
    for p, tags in zip(paragraphs, labels):
        rows.append({"doc": f"authored/{path.name}", "para": p.index, "text": p.text,
                     "label": tags[0], "also": ";".join(tags[1:]), "source": "authored",
                     "heading": p.heading})
    return pd.DataFrame(rows, columns=COLUMNS)


def build_corpus(seed_dir: str | Path, authored_dir: str | Path,
                 labelled: pd.DataFrame) -> pd.DataFrame:
    """Re-split the seeds, carry their labels over from ``labelled``, add authored rows.

    Seed labels are matched by (doc, text), so a change of the splitter that moves
    paragraphs keeps the labels of unchanged paragraphs; any seed paragraph without a
    label makes this fail, listing what needs labelling.
    """
    known = {(r.doc, r.text): (r.label, r.also) for r in labelled.itertuples()}
    parts, unlabelled = [], []
    for path in sorted(Path(seed_dir).glob("*.txt")):
        rows = split_report_rows(path, path.name)
        pairs = [known.get((path.name, t)) for t in rows["text"]]
        unlabelled += [f"{path.name}#{i}" for i, p in zip(rows["para"], pairs) if p is None]
        rows["label"] = [p[0] if p else "" for p in pairs]
        rows["also"] = [p[1] if p else "" for p in pairs]
        rows["source"] = "seed"
        parts.append(rows[COLUMNS])
    if unlabelled:
        raise CorpusError(f"seed paragraphs without a label: {', '.join(unlabelled[:10])}")
    for path in sorted(Path(authored_dir).glob("*.txt")):
        parts.append(parse_authored(path))
    corpus = pd.concat(parts, ignore_index=True)
    problems = validate_corpus(corpus)
    if problems:
        raise CorpusError("; ".join(problems))
    return corpus


def write_corpus(frame: pd.DataFrame, path: str | Path = DEFAULT_CORPUS) -> Path:
    """Write the corpus CSV atomically, UTF-8 without BOM, LF line ends."""
    from lawgov_cls.output import atomic_path

    with atomic_path(path) as tmp:
        frame[COLUMNS].to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
    return Path(path)


def label_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Paragraph counts per label (rows) and source (columns), labels in canonical order."""
    table = pd.crosstab(frame["label"], frame["source"]).reindex(list(LABELS), fill_value=0)
    table["total"] = table.sum(axis=1)
    return table
