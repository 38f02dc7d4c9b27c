"""Tag reports paragraph by paragraph, one file or a whole batch.

``tag_text`` / ``tag_file`` return one row per paragraph. ``tag_batch`` runs over files
and folders, streams the paragraph table and writes the coverage tables and an errors
file, so that one bad report never stops the batch.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np
import pandas as pd

from lawgov_cls.coverage import Coverage, report_coverage, summarize_coverage
from lawgov_cls.labels import LABELS, OTHER
from lawgov_cls.output import TableWriter, write_table
from lawgov_cls.read import DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES, ReportError, read_report
from lawgov_cls.segment import split_paragraphs
from lawgov_cls.structure import (DEFAULT_DEADLINE, StructureSummary, check_structure,
                                  summarize_structure)

#: Paragraphs whose top probability is below this are marked review=True. With seven
#: labels, 0.5 means the model gives its label no more than even odds; see the model
#: card for how accuracy differs above and below it.
REVIEW_THRESHOLD = 0.5
EVIDENCE_TERMS = 5
FURNITURE_EVIDENCE = "(page furniture)"


def probability_column(label: str) -> str:
    return f"p_{label}"


PARAGRAPH_COLUMNS = (["doc", "para", "heading", "text", "label", "confidence", "review"]
                     + [probability_column(l) for l in LABELS] + ["evidence", "furniture"])


def tag_paragraphs(model, paragraphs, doc: str, review_threshold: float = REVIEW_THRESHOLD
                   ) -> pd.DataFrame:
    """Tag already split paragraphs (segment.Paragraph objects) of one report."""
    texts = [p.text for p in paragraphs]
    furniture = np.array([p.furniture for p in paragraphs], dtype=bool)
    proba = np.zeros((len(texts), len(LABELS)))
    evidence = np.full(len(texts), FURNITURE_EVIDENCE, dtype=object)
    body = np.flatnonzero(~furniture)
    if len(body):
        contexts = None
        if model.uses_context:
            from lawgov_cls.context import context_tokens, document_genre

            contexts = context_tokens(document_genre(paragraphs), paragraphs)
            contexts = [contexts[i] for i in body]
        body_proba, terms = model.proba_and_evidence([texts[i] for i in body], top=EVIDENCE_TERMS,
                                                     contexts=contexts)
        proba[body] = body_proba
        evidence[body] = ["; ".join(t) for t in terms]
    # Furniture is 其他 by definition, whatever the words in it.
    proba[furniture, LABELS.index(OTHER)] = 1.0
    proba = proba.round(4)
    best = proba.argmax(axis=1)
    confidence = proba[np.arange(len(texts)), best]
    columns = {
        "doc": [doc] * len(texts),
        "para": [p.index for p in paragraphs],
        "heading": [p.heading for p in paragraphs],
        "text": texts,
        "label": np.array(LABELS, dtype=object)[best],
        "confidence": confidence,
        "review": confidence < review_threshold,
    }
    columns.update({probability_column(l): proba[:, j] for j, l in enumerate(LABELS)})
    columns.update({"evidence": evidence, "furniture": furniture})
    return pd.DataFrame(columns, columns=PARAGRAPH_COLUMNS)


def tag_text(model, text: str, doc: str = "<text>", review_threshold: float = REVIEW_THRESHOLD
             ) -> pd.DataFrame:
    """Split raw report text into paragraphs and tag them."""
    from lawgov_cls.read import normalize_text

    return tag_paragraphs(model, split_paragraphs(normalize_text(text)), doc, review_threshold)


def tag_file(model, path: str | os.PathLike, doc: str | None = None,
             max_bytes: int = DEFAULT_MAX_BYTES, review_threshold: float = REVIEW_THRESHOLD
             ) -> pd.DataFrame:
    """Read, split and tag one report file. Raises ReportError for an unreadable file."""
    path = Path(path)
    paragraphs = split_paragraphs(read_report(path, max_bytes=max_bytes))
    if not paragraphs:
        raise ReportError(path, "no paragraphs found")
    return tag_paragraphs(model, paragraphs, doc or path.name, review_threshold)


# --- batches ----------------------------------------------------------------------


def iter_report_files(inputs: Iterable[str | os.PathLike]) -> Iterator[tuple[Path, str]]:
    """(path, doc name) for every report under ``inputs``, in sorted order.

    A directory is searched recursively for supported extensions (skipping hidden files and
    Office lock files ``~$*``); its reports are named by their path relative to it. A file
    named directly is always yielded, so that an unsupported one is reported, not ignored.
    """
    for item in inputs:
        item = Path(item)
        if item.is_dir():
            for path in sorted(item.rglob("*")):
                rel = path.relative_to(item)
                if (path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES
                        and not any(part.startswith((".", "~$")) for part in rel.parts)):
                    yield path, rel.as_posix()
        else:
            yield item, item.name


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

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0


_worker_model = None


def _init_worker(model) -> None:
    global _worker_model
    _worker_model = model


def _tag_one(job: tuple[Path, str, int, float]):
    path, doc, max_bytes, threshold = job
    try:
        return doc, tag_file(_worker_model, path, doc=doc, max_bytes=max_bytes,
                             review_threshold=threshold), None
    except ReportError as exc:
        return doc, None, (str(path), exc.reason)
    except Exception as exc:  # a reader library failing on a damaged file must not stop the batch
        return doc, None, (str(path), f"could not be read ({type(exc).__name__}: {exc})"[:300])


def _pool_context():
    # fork shares the loaded model with the workers for free; elsewhere fall back to spawn.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def iter_tagged(model, inputs, jobs: int = 1, max_bytes: int = DEFAULT_MAX_BYTES,
                review_threshold: float = REVIEW_THRESHOLD, progress: bool = False):
    """Yield (doc, paragraph table or None, error or None) per report, in input order."""
    jobs_list = [(p, d, max_bytes, review_threshold) for p, d in iter_report_files(inputs)]
    from tqdm import tqdm

    bar = tqdm(total=len(jobs_list), unit="file", disable=not progress, file=sys.stderr)
    try:
        if jobs > 1 and len(jobs_list) > 1:
            with _pool_context().Pool(min(jobs, len(jobs_list)), initializer=_init_worker,
                                      initargs=(model,)) as pool:
                for result in pool.imap(_tag_one, jobs_list, chunksize=4):
                    bar.update()
                    yield result
        else:
            _init_worker(model)
            for job in jobs_list:
                result = _tag_one(job)
                bar.update()
                yield result
    finally:
        bar.close()


def tag_batch(model, inputs, out_dir: str | os.PathLike, fmt: str = "csv", jobs: int = 1,
              max_bytes: int = DEFAULT_MAX_BYTES, review_threshold: float = REVIEW_THRESHOLD,
              progress: bool = False, write_paragraphs: bool = True,
              deadline: tuple[int, int] = DEFAULT_DEADLINE) -> BatchResult:
    """Tag every report under ``inputs`` into ``out_dir``.

    Writes ``paragraphs.<fmt>`` (unless ``write_paragraphs`` is false), ``coverage.<fmt>``,
    ``coverage_by_label.<fmt>`` and ``errors.csv``, each atomically. The coverage rows carry
    each report's structure check; ``deadline`` (month, day) decides which came late.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    result = BatchResult()
    rows: list[dict] = []
    writer = (TableWriter(out_dir / f"paragraphs.{fmt}", fmt, PARAGRAPH_COLUMNS)
              if write_paragraphs else None)
    ok = False
    try:
        for doc, frame, error in iter_tagged(model, inputs, jobs, max_bytes, review_threshold,
                                             progress):
            result.files += 1
            if error:
                result.errors.append(error)
                continue
            result.tagged += 1
            result.paragraphs += len(frame)
            structure = check_structure(frame["text"].tolist(), deadline)
            rows.append(report_coverage(frame, doc, structure))
            if writer:
                writer.write(frame)
        ok = True
    finally:
        if writer:
            writer.close(ok=ok)
    if writer:
        result.outputs["paragraphs"] = writer.path
    result.coverage = summarize_coverage(rows)
    result.structure = summarize_structure(rows)
    result.outputs["coverage"] = write_table(result.coverage.reports, out_dir / f"coverage.{fmt}", fmt)
    result.outputs["coverage_by_label"] = write_table(result.coverage.by_label,
                                                      out_dir / f"coverage_by_label.{fmt}", fmt)
    errors = pd.DataFrame(result.errors, columns=["path", "reason"])
    result.outputs["errors"] = write_table(errors, out_dir / "errors.csv", "csv")
    return result
