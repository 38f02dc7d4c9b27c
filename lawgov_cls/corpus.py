"""The labelled data: ``data/paragraphs.csv`` (training) and ``data/dev.csv`` (held out).

Sources (the ``source`` column):

- ``seed``: the real reports in ``seeds/``, read and split by the project's own reader and
  splitter (the code tagging uses), labels kept in the corpus;
- ``authored``: documents in ``data/authored/*.txt`` written by the team, one paragraph per
  line as ``LABEL[;ALSO...]<TAB>TEXT``, split by the same splitter;
- ``reviewed``: paragraphs of real reports corrected by analysts (``lawgov-cls add-labels``),
  ``doc`` ``reviewed/<doc as tagged>``; real report text, so each document is a
  leave-one-report-out fold;
- ``dev``: held-out documents in ``data/dev/*.txt`` (same format), only in ``data/dev.csv``,
  never used for training or for choosing settings.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lawgov_cls.labels import LABELS, OTHER
from lawgov_cls.read import normalize_text, read_report
from lawgov_cls.segment import split_paragraphs

COLUMNS = ["doc", "para", "text", "label", "also", "source", "heading"]
SOURCES = ("seed", "authored", "reviewed", "dev")
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO_ROOT / "data" / "paragraphs.csv"
DEFAULT_DEV = REPO_ROOT / "data" / "dev.csv"
DEFAULT_STRUCTURE = REPO_ROOT / "data" / "structure.csv"


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


def parse_authored(path: str | Path, source: str = "authored") -> pd.DataFrame:
    """Rows of one authored report file (``LABEL[;ALSO]<TAB>TEXT`` per line).

    ``doc`` is ``authored/NAME`` (``dev/NAME`` for source ``dev``).
    """
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
        rows.append({"doc": f"{source}/{path.name}", "para": p.index, "text": p.text,
                     "label": tags[0], "also": ";".join(tags[1:]), "source": source,
                     "heading": p.heading})
    return pd.DataFrame(rows, columns=COLUMNS)


def build_corpus(seed_dir: str | Path, authored_dir: str | Path,
                 labelled: pd.DataFrame) -> pd.DataFrame:
    """Re-split the seeds, carry their labels over from ``labelled``, add authored rows,
    keep the ``reviewed`` rows of ``labelled`` as they are.

    Seed labels are matched by (doc, text), so a change of the splitter that moves
    paragraphs keeps the labels of unchanged paragraphs; any seed paragraph without a
    label makes this fail, listing what needs labelling.
    """
    seeds = labelled[labelled["source"] == "seed"]
    known = {(r.doc, r.text): (r.label, r.also) for r in seeds.itertuples()}
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
    parts.append(labelled.loc[labelled["source"] == "reviewed", COLUMNS])
    corpus = pd.concat(parts, ignore_index=True)
    problems = validate_corpus(corpus)
    if problems:
        raise CorpusError("; ".join(problems))
    return corpus


def build_dev(dev_dir: str | Path) -> pd.DataFrame:
    """The held-out rows of every ``data/dev/*.txt`` (source ``dev``)."""
    parts = [parse_authored(path, source="dev") for path in sorted(Path(dev_dir).glob("*.txt"))]
    dev = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)
    problems = validate_corpus(dev)
    if problems:
        raise CorpusError("; ".join(problems))
    return dev


def load_genres(path: str | Path = DEFAULT_STRUCTURE) -> dict[str, str]:
    """doc (as in the corpus) → genre, from the hand-labelled structure file."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    docs = table["doc"].str.replace(r"^seeds/", "", regex=True)
    return dict(zip(docs, table["genre"]))


def find_checkout(start: str | Path | None = None) -> Path | None:
    """The lawgov_cls source checkout at ``start`` (default: the current directory), if it is one.

    A checkout has ``pyproject.toml`` and ``data/paragraphs.csv``: there ``train`` and
    ``evaluate`` find their data and write their model without being told where.
    """
    root = Path(start) if start is not None else Path.cwd()
    if (root / "pyproject.toml").is_file() and (root / "data" / "paragraphs.csv").is_file():
        return root
    return None


@dataclass(frozen=True)
class DataPaths:
    """Where train and evaluate read and write: the corpus, the dev set and structure
    labels beside it, and the models directory."""

    corpus: Path
    dev: Path
    structure: Path
    models: Path | None


def resolve_paths(data: str | Path | None = None, models: str | Path | None = None,
                  need_models: bool = True, cwd: str | Path | None = None) -> DataPaths:
    """Explicit paths, or those of the checkout in ``cwd``; never the installed package's.

    Raises CorpusError with a one-line message when a path is neither given nor found.
    """
    checkout = find_checkout(cwd)
    if data is None:
        if checkout is None:
            raise CorpusError("not in a lawgov_cls checkout: run from one, or pass --data "
                              "(and --models for train)")
        data = checkout / "data" / "paragraphs.csv"
    if models is None and need_models:
        if checkout is None:
            raise CorpusError("not in a lawgov_cls checkout: pass --models DIR for the trained model")
        models = checkout / "models"
    data = Path(data)
    if not data.is_file():
        raise CorpusError(f"{data}: labelled data not found")
    return DataPaths(corpus=data, dev=data.parent / "dev.csv",
                     structure=data.parent / "structure.csv",
                     models=Path(models) if models is not None else None)


def write_corpus(frame: pd.DataFrame, path: str | Path = DEFAULT_CORPUS) -> Path:
    """Write the corpus CSV atomically, UTF-8 without BOM, LF line ends."""
    from lawgov_cls.output import atomic_path

    with atomic_path(path) as tmp:
        frame[COLUMNS].to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
    return Path(path)


@dataclass(frozen=True)
class Merge:
    """The corpus after ``merge_reviewed`` and what changed."""

    corpus: pd.DataFrame
    added: int  # rows new to the corpus
    replaced: int  # earlier reviewed rows of the same (doc, para), replaced
    skipped: int  # rows whose text is already in another row, or held out


def merge_reviewed(corpus: pd.DataFrame, rows: pd.DataFrame, held_out=()) -> Merge:
    """Add ``reviewed`` rows to the corpus: a row replaces the reviewed row with the same
    (doc, para); a row whose text is already in another row is skipped, so that no
    paragraph is counted twice (nor in two leave-one-report-out folds), and so is a row
    whose text is in ``held_out`` (the dev set's texts, never trained on).

    Non-reviewed rows keep their order; the reviewed rows follow, sorted by doc and para.
    Raises CorpusError, changing nothing, when ``rows`` or the result breaks the schema.
    """
    rows = rows[COLUMNS].copy()
    rows["para"] = rows["para"].astype(int)
    if (rows["source"] != "reviewed").any():
        raise CorpusError("rows to merge must have source 'reviewed'")
    problems = validate_corpus(rows)
    if problems:
        raise CorpusError("; ".join(problems))
    key = ["doc", "para"]
    incoming = pd.MultiIndex.from_frame(rows[key])
    current = pd.MultiIndex.from_frame(corpus[key])
    same_key = current.isin(incoming)
    if (same_key & (corpus["source"] != "reviewed").to_numpy()).any():
        raise CorpusError("reviewed rows would replace seed or authored rows (same doc and para)")
    known = set(corpus.loc[~same_key, "text"].str.strip()) | {t.strip() for t in held_out}
    new = rows[~rows["text"].str.strip().isin(known)]
    replaced = current.isin(pd.MultiIndex.from_frame(new[key]))
    kept = corpus[~replaced]
    reviewed = kept["source"] == "reviewed"
    merged = pd.concat([kept[~reviewed],
                        pd.concat([kept[reviewed], new]).sort_values(key, kind="stable")],
                       ignore_index=True)
    problems = validate_corpus(merged)
    if problems:
        raise CorpusError("; ".join(problems))
    return Merge(merged, added=len(new) - int(replaced.sum()), replaced=int(replaced.sum()),
                 skipped=len(rows) - len(new))


def label_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Paragraph counts per label (rows) and source (columns), labels in canonical order."""
    table = pd.crosstab(frame["label"], frame["source"]).reindex(list(LABELS), fill_value=0)
    table["total"] = table.sum(axis=1)
    return table
