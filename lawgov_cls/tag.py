"""Tag reports paragraph by paragraph, one file or a whole batch.

``tag_text`` / ``tag_file`` return one row per paragraph. ``iter_tagged`` runs over files
and folders (and standard input) in worker processes, so that one bad report never stops
the batch; batch.tag_batch writes its tables, workbook and report.html.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Iterator, NamedTuple

import numpy as np
import pandas as pd

from lawgov_cls.labels import LABELS, OTHER
from lawgov_cls.read import (DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES, ReportError, display_path,
                             read_report, unsupported_reason)
from lawgov_cls.context import context_tokens
from lawgov_cls.segment import split_paragraphs
from lawgov_cls.structure import ReportStructure, check_structure

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


class Tagged(NamedTuple):
    """One report as tagged: its paragraph table and its structure check (with the
    default deadline; see structure.ReportStructure.with_deadline)."""

    frame: pd.DataFrame
    structure: ReportStructure


def tag_reports(model, reports, review_threshold: float = REVIEW_THRESHOLD) -> list[Tagged]:
    """Tag several split reports, ``[(doc, paragraphs), ...]``, with one model call.

    One call for many reports pays the model's fixed cost per call (input checks of
    scikit-learn, array set-up) once instead of once per report.
    """
    structures = [check_structure(paragraphs) for _, paragraphs in reports]
    texts, contexts = [], []
    for (_, paragraphs), structure in zip(reports, structures):
        # The genre is model context (codebook rule 9), see context.py.
        tokens = (context_tokens(structure.genre, paragraphs) if model.uses_context
                  else [""] * len(paragraphs))
        for p, t in zip(paragraphs, tokens):
            if not p.furniture:
                texts.append(p.text)
                contexts.append(t)
    body_proba, terms = model.proba_and_evidence(
        texts, top=EVIDENCE_TERMS, contexts=contexts if model.uses_context else None)
    out, start = [], 0
    for (doc, paragraphs), structure in zip(reports, structures):
        furniture = np.array([p.furniture for p in paragraphs], dtype=bool)
        body = np.flatnonzero(~furniture)
        proba = np.zeros((len(paragraphs), len(LABELS)))
        evidence = np.full(len(paragraphs), FURNITURE_EVIDENCE, dtype=object)
        proba[body] = body_proba[start:start + len(body)]
        evidence[body] = ["; ".join(t) for t in terms[start:start + len(body)]]
        start += len(body)
        # Furniture is 其他 by definition, whatever the words in it.
        proba[furniture, LABELS.index(OTHER)] = 1.0
        out.append(Tagged(_table(doc, paragraphs, proba, evidence, furniture, review_threshold),
                          structure))
    return out


def _table(doc, paragraphs, proba, evidence, furniture, review_threshold) -> pd.DataFrame:
    proba = proba.round(4)
    best = proba.argmax(axis=1)
    confidence = proba[np.arange(len(paragraphs)), best]
    columns = {
        "doc": [doc] * len(paragraphs),
        "para": [p.index for p in paragraphs],
        "heading": [p.heading for p in paragraphs],
        "text": [p.text for p in paragraphs],
        "label": np.array(LABELS, dtype=object)[best],
        "confidence": confidence,
        "review": confidence < review_threshold,
    }
    columns.update({probability_column(l): proba[:, j] for j, l in enumerate(LABELS)})
    columns.update({"evidence": evidence, "furniture": furniture})
    return pd.DataFrame(columns, columns=PARAGRAPH_COLUMNS)


def tag_paragraphs(model, paragraphs, doc: str, review_threshold: float = REVIEW_THRESHOLD
                   ) -> pd.DataFrame:
    """Tag already split paragraphs (segment.Paragraph objects) of one report."""
    return tag_reports(model, [(doc, paragraphs)], review_threshold)[0].frame


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

#: Seconds one file may take (read, split, tag) before its worker is stopped and the file
#: reported; 0 or None: no limit (and, with one job, no worker process).
DEFAULT_TIMEOUT = 120.0
# Operating-system files found in folders copied from Windows and macOS: never reports.
_SYSTEM_FILES = frozenset(("thumbs.db", "desktop.ini", ".ds_store"))
# Files in flight per worker: enough to keep workers busy, few enough to keep memory flat.
_IN_FLIGHT_PER_JOB = 2
#: Files tagged together in one model call (one worker task): pays the model's fixed cost
#: per call once for several reports; bounded in bytes so that memory stays flat.
_CHUNK_FILES = 8
_CHUNK_BYTES = 2 * 2**20


#: The input name that means standard input, and the doc name its report gets.
STDIN = "-"
STDIN_DOC = "stdin"


class InputFile(NamedTuple):
    """One input of a batch: a file to tag, or (``error`` set) one to report without reading.
    ``data`` holds the bytes of standard input, read before the batch starts."""

    path: Path
    doc: str
    error: str | None = None
    data: bytes | None = None


def _as_inputs(inputs) -> list:
    # A single path, not a list of them: iterating "dir" would walk "d", "i", "r".
    if isinstance(inputs, (str, bytes, os.PathLike)):
        return [inputs]
    return list(inputs)


def _walk(folder: Path) -> Iterator[tuple[Path, str | None]]:
    """(path, error) for every file under ``folder``, in sorted path order.

    Hidden entries, Office lock files ``~$*`` and system files (Thumbs.db, desktop.ini)
    are skipped; a folder that cannot be listed is reported, never skipped; symlinked
    folders are followed, each folder once.
    """
    seen: set[tuple[int, int]] = set()

    def listing(path: Path):
        st = path.stat()
        if (st.st_dev, st.st_ino) in seen:
            return iter(())  # a symlink loop, or a folder reached twice
        seen.add((st.st_dev, st.st_ino))
        with os.scandir(path) as it:
            return iter(sorted(it, key=lambda e: e.name))

    try:
        stack = [listing(folder)]
    except OSError as exc:
        yield folder, f"folder cannot be read ({exc.strerror or type(exc).__name__})"
        return
    while stack:  # an explicit stack: folder depth is not bounded by Python's recursion
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        if entry.name.startswith((".", "~$")) or entry.name.lower() in _SYSTEM_FILES:
            continue
        path = Path(entry.path)
        try:
            if entry.is_dir():
                stack.append(listing(path))
                continue
        except OSError as exc:
            yield path, f"folder cannot be read ({exc.strerror or type(exc).__name__})"
            continue
        yield path, None


def _stdin_input(stdin, max_bytes: int) -> InputFile:
    from lawgov_cls.read import read_stream

    if stdin is None:
        stdin = sys.stdin.buffer
    try:
        return InputFile(Path(STDIN_DOC), STDIN_DOC, data=read_stream(stdin, STDIN_DOC, max_bytes))
    except ReportError as exc:
        return InputFile(Path(STDIN_DOC), STDIN_DOC, error=exc.reason)


def iter_report_files(inputs, stdin=None, max_bytes: int = DEFAULT_MAX_BYTES
                      ) -> Iterator[InputFile]:
    """Every input file under ``inputs`` (paths, or one path), folders searched recursively.

    Files of unsupported types found in folders are yielded with an ``error`` (so that they
    are reported, not skipped), as are folders that cannot be read or hold no supported
    file. ``doc`` is the path relative to the input folder (a file's name when named
    directly), readable whatever the file name's encoding, and unique in the batch: names
    that two inputs share get their input folder's name in front (or, if that is not
    enough, the whole path). A file named twice is yielded once. ``-`` is one report read
    from ``stdin`` (a binary stream; default: standard input), named ``stdin``.
    """
    found: list[tuple[InputFile, str]] = []  # and the name of the input it came from
    stdin_read = False
    for item in _as_inputs(inputs):
        if os.fsdecode(item) == STDIN:
            if not stdin_read:
                found.append((_stdin_input(stdin, max_bytes), ""))
                stdin_read = True
            continue
        item = Path(os.fsdecode(item))
        if not item.is_dir():
            found.append((InputFile(item, display_path(item.name)), ""))
            continue
        supported = 0
        for path, error in _walk(item):
            rel = path.relative_to(item).as_posix() if path != item else item.name
            if error is None and path.suffix.lower() not in SUPPORTED_SUFFIXES:
                error = unsupported_reason(path.suffix)
            supported += error is None
            found.append((InputFile(path, display_path(rel), error), item.name))
        if not supported:
            found.append((InputFile(item, display_path(item.name or str(item)),
                                    "no supported report files (" + ", ".join(SUPPORTED_SUFFIXES)
                                    + ") in this folder"), ""))
    # A file named twice (a folder and a file in it) is tagged once.
    seen: set[str] = set()
    unique = []
    for f, top in found:
        real = os.path.realpath(f.path) if f.data is None else STDIN
        if f.error is None and real in seen:
            continue
        seen.add(real)
        unique.append((f, top))
    # Names two inputs share get their input folder's name in front, then the whole path.
    docs = [f.doc for f, _ in unique]
    for rename in (lambda f, top: display_path(f"{top}/{f.doc}") if top else f.doc,
                   lambda f, top: display_path(f.path)):
        counts = Counter(docs)
        docs = [rename(f, top) if counts[doc] > 1 else doc for (f, top), doc in zip(unique, docs)]
    used: set[str] = set()
    for (f, _), doc in zip(unique, docs):
        base, n = doc, 1
        while doc in used:
            n += 1
            doc = f"{base} ({n})"
        used.add(doc)
        yield f._replace(doc=doc)


_worker_model = None


def _init_worker(model) -> None:
    global _worker_model
    _worker_model = model


def _read_one(job) -> tuple[list, tuple | None]:
    """(paragraphs, None) for a readable file, ([], (path, reason)) for one that is not."""
    path, doc, max_bytes, _, data = job
    try:
        if data is not None:
            from lawgov_cls.read import report_text

            text = report_text(data, path, ".txt", max_bytes)
        else:
            text = read_report(path, max_bytes=max_bytes)
        paragraphs = split_paragraphs(text)
        if not paragraphs:
            raise ReportError(path, "no paragraphs found")
        return paragraphs, None
    except ReportError as exc:
        return [], (display_path(path), exc.reason)
    except MemoryError:
        return [], (display_path(path), "ran out of memory while reading it")
    except Exception as exc:  # a reader library failing on a damaged file must not stop the batch
        reason = " ".join(f"could not be read ({type(exc).__name__}: {exc})".split())
        return [], (display_path(path), reason[:300])


def _tag_chunk(chunk: list) -> list[tuple]:
    """(doc, Tagged or None, error or None) for each file of a chunk, one model call."""
    read = [_read_one(job) for job in chunk]
    ok = [(job[1], paragraphs) for job, (paragraphs, error) in zip(chunk, read) if not error]
    tagged = iter(tag_reports(_worker_model, ok, chunk[0][3]) if ok else [])
    return [(job[1], None, error) if error else (job[1], next(tagged), None)
            for job, (_, error) in zip(chunk, read)]


def _chunks(jobs: list) -> list[list]:
    """Consecutive files in groups of up to _CHUNK_FILES and about _CHUNK_BYTES."""
    chunks, size = [], 0
    for job in jobs:
        path, data = job[0], job[4]
        try:
            n = len(data) if data is not None else os.stat(path).st_size
        except OSError:
            n = 0
        if not chunks or len(chunks[-1]) >= _CHUNK_FILES or size + n > _CHUNK_BYTES:
            chunks.append([])
            size = 0
        chunks[-1].append(job)
        size += n
    return chunks


def _pool_context():
    # fork shares the loaded model with the workers for free; elsewhere fall back to spawn.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _pool_failure(job, exc: BaseException, timeout: float | None):
    """The result for a file whose worker timed out, died or failed to answer."""
    from concurrent.futures import TimeoutError as FutureTimeout

    from pebble import ProcessExpired

    path, doc = job[0], job[1]
    if isinstance(exc, FutureTimeout):
        reason = f"took longer than {timeout:g} s to read and tag (raise it with --timeout)"
    elif isinstance(exc, ProcessExpired):
        code = exc.exitcode
        how = (f"killed by signal {-code}" if code and code < 0 else f"exit code {code}")
        reason = (f"the worker process died while reading it ({how}; out of memory?)")
    else:
        reason = " ".join(f"could not be tagged ({type(exc).__name__}: {exc})".split())[:300]
    return doc, None, (display_path(path), reason)


def _run_pool(model, chunks, jobs: int, timeout: float | None):
    """Tag chunks of files in worker processes, in input order, a few chunks in flight.

    pebble stops a worker that exceeds the time limit and reports a worker that died
    (OOM killer, a signal) as ProcessExpired. A chunk that fails so is tried again one
    file at a time, each with ``timeout``: the culprit is reported, the others tagged,
    and the batch goes on with a fresh worker.
    """
    from collections import deque

    from pebble import ProcessPool

    context = _pool_context()
    if context.get_start_method() == "fork":
        # Initialise the tokenizer once here, so that forked workers (and replacements
        # for killed ones) start warm.
        model.predict_proba(["依法行政"])
    pool = ProcessPool(max_workers=jobs, initializer=_init_worker, initargs=(model,),
                       context=context)

    def schedule(chunk):
        return pool.schedule(_tag_chunk, args=(chunk,),
                             timeout=None if timeout is None else timeout * len(chunk))

    pending: deque = deque()
    todo = iter(chunks)
    try:
        while True:
            while len(pending) < jobs * _IN_FLIGHT_PER_JOB:
                chunk = next(todo, None)
                if chunk is None:
                    break
                pending.append((chunk, schedule(chunk)))
            if not pending:
                break
            chunk, future = pending.popleft()
            try:
                yield from future.result()
            except Exception as exc:
                if len(chunk) == 1:
                    yield _pool_failure(chunk[0], exc, timeout)
                    continue
                for job in chunk:  # one at a time, to find the file that failed
                    try:
                        yield from schedule([job]).result()
                    except Exception as single:
                        yield _pool_failure(job, single, timeout)
        pool.close()
    finally:
        pool.stop()
        pool.join()


def iter_tagged(model, inputs, jobs: int = 1, max_bytes: int = DEFAULT_MAX_BYTES,
                review_threshold: float = REVIEW_THRESHOLD, progress: bool = False,
                timeout: float | None = DEFAULT_TIMEOUT, stdin=None):
    """Yield (doc, Tagged or None, error or None) per input file, in input order.

    With a ``timeout`` (seconds per file) or several ``jobs`` files are tagged in worker
    processes, so that a file that hangs or kills its worker is reported and the batch
    goes on; ``timeout=None`` with one job tags in this process. ``stdin``: the binary
    stream an input ``-`` is read from (default: standard input).
    """
    files = list(iter_report_files(inputs, stdin, max_bytes))
    from tqdm import tqdm

    bar = tqdm(total=len(files), unit="file", disable=not progress, file=sys.stderr)
    readable = [(f.path, f.doc, max_bytes, review_threshold, f.data) for f in files
                if f.error is None]
    if timeout is not None and timeout <= 0:
        timeout = None
    chunks = _chunks(readable)
    if jobs > 1 or timeout is not None:
        tagged = _run_pool(model, chunks, min(jobs, max(1, len(chunks))), timeout)
    else:
        _init_worker(model)
        tagged = itertools.chain.from_iterable(map(_tag_chunk, chunks))
    try:
        for f in files:
            result = (f.doc, None, (display_path(f.path), f.error)) if f.error else next(tagged)
            bar.update()
            yield result
    finally:
        if hasattr(tagged, "close"):
            tagged.close()  # stops the pool when the caller stops early or is interrupted
        bar.close()




def __getattr__(name: str):
    # tag_batch, TagOptions and BatchResult live in batch.py; kept importable from here.
    if name in ("tag_batch", "TagOptions", "BatchResult"):
        from lawgov_cls import batch

        return getattr(batch, name)
    raise AttributeError(f"module 'lawgov_cls.tag' has no attribute {name!r}")
