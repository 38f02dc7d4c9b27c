"""Speed and memory benchmarks, printed as tables in one run.

    python train/bench.py            # median of 3 repeats (about ten minutes)
    python train/bench.py --quick    # one repeat

Speed, side by side on the same text in one process: raw jieba.lcut (the obvious
alternative, default settings) against end-to-end batch tagging (read, segment, tag,
coverage, write) with --jobs 1 and 2, and against model.tag_text called on one report at
a time; cold start of `lawgov-cls tag` on one report against the bare imports plus jieba's
initialisation; peak memory; training time; where tagging time goes (process CPU time per
stage). Quality variants are compared by `lawgov-cls evaluate --variants`. Timings are
medians of REPEATS runs. Needs jieba (pip install ".[test]").
"""

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
COPIES = 110  # copies of each seed in the bulk folder: 5 x 110 = 550 files, about 9 MB
REPEATS = 3  # timing repeats; the median is reported
PAIRED_ROUNDS = 2  # rounds of --jobs 1 with and without the worker process, timed in turns


def median_time(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def paired_best_times(fns, rounds):
    """Best time of each function, the functions run in turns ``rounds`` times."""
    best = [float("inf")] * len(fns)
    for _ in range(rounds):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - start)
    return best


def run_cli(args, cwd=None):
    """Wall time and exit code of one CLI run in a fresh process."""
    start = time.perf_counter()
    code = subprocess.run([sys.executable, "-m", "lawgov_cls", *args], cwd=cwd,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    return time.perf_counter() - start, code


def child_peak_rss_mb(args):
    """Max RSS (MB) of a CLI run and the worker processes it waited for."""
    code = (f"import resource, subprocess, sys; "
            f"subprocess.run([sys.executable, '-m', 'lawgov_cls', *{args!r}], "
            f"stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
            f"print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    return int(out.strip()) / 1024


def table(rows, headers):
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) for i, h in enumerate(headers)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    return "\n".join([line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|",
                      *(line(r) for r in rows)])


def stage_profile(model, files):
    """Process CPU seconds per stage of tagging ``files``, the stages of tag.tag_reports and
    batch.tag_batch run one after the other over all files."""
    import numpy as np
    import pandas as pd
    import scipy.sparse as sp

    from lawgov_cls import tag
    from lawgov_cls.context import context_tokens
    from lawgov_cls.coverage import report_coverage
    from lawgov_cls.features import normalize
    from lawgov_cls.output import write_table
    from lawgov_cls.read import read_report
    from lawgov_cls.batch import TagOptions
    from lawgov_cls.report import HtmlReport
    from lawgov_cls.segment import split_paragraphs
    from lawgov_cls.structure import check_structure

    clock, times = time.process_time, {}

    def timed(name, fn):
        start = clock()
        value = fn()
        times[name] = times.get(name, 0.0) + clock() - start
        return value

    texts = timed("read (decode, check, normalise)", lambda: [read_report(f) for f in files])
    reports = timed("segment", lambda: [split_paragraphs(t) for t in texts])
    structures = timed("structure check", lambda: [check_structure(ps) for ps in reports])
    contexts = timed("context tokens", lambda: [context_tokens(st.genre, ps)
                                                for st, ps in zip(structures, reports)])
    body = [(p.text, c) for ps, cs in zip(reports, contexts) for p, c in zip(ps, cs)
            if not p.furniture]
    features = model.pipeline.named_steps["features"]
    norm = timed("features: normalise", lambda: [normalize(t) for t, _ in body])
    frame = pd.DataFrame({"text": [t for t, _ in body], "context": [c for _, c in body]})
    blocks = []
    for name, terms, tfidf in zip(features.blocks_, features.terms_, features.tfidf_):
        if name == "context":
            blocks.append(timed("features: context", lambda: features._count_context(
                features._contexts(frame), terms)))
            continue
        counter = features._count_words if name == "words" else features._count_chars
        counts = timed(f"features: {name} (tokenise, count)", lambda: counter(norm, terms))
        blocks.append(timed("features: tf-idf weighting", lambda: tfidf.transform(counts)))
        if name == "words" and features.domain_words:
            blocks.append(timed("features: domain copy of the words", lambda: features._domain_block(
                blocks[-1], features._domain_ids(frame))))
    X = timed("features: tf-idf weighting", lambda: sp.hstack(blocks, format="csr"))
    proba = timed("classifier", lambda: model.pipeline.named_steps["classifier"].predict_proba(X))
    labels = [model.pipeline.classes_[i] for i in np.argmax(proba, axis=1)]
    timed("evidence terms", lambda: model._evidence(X, labels, 5))
    start = clock()
    tagged = [t for i in range(0, len(files), tag._CHUNK_FILES)
              for t in tag.tag_reports(model, [(str(f), ps) for f, ps in
                                               zip(files[i:i + tag._CHUNK_FILES],
                                                   reports[i:i + tag._CHUNK_FILES])])]
    whole = clock() - start
    times["tables (tag_reports minus the stages above)"] = max(0.0, whole - sum(
        v for k, v in times.items() if not k.startswith(("read", "segment"))))
    out = Path(tempfile.mkdtemp(prefix="lawgov_profile_"))
    rows = timed("coverage and CSV tables", lambda: (
        [report_coverage(t.frame, str(f), t.structure) for f, t in zip(files, tagged)],
        write_table(pd.concat([t.frame for t in tagged]), out / "p.csv", "csv"))[0])

    def html():
        page = HtmlReport(out / "report.html", TagOptions())
        for t, row in zip(tagged, rows):
            page.add(t.frame, row)
        page.close(ok=False)  # the sections are the cost; the head is one small table

    timed("report.html (one section per report)", html)
    shutil.rmtree(out, ignore_errors=True)
    total = sum(times.values())
    return [[name, f"{seconds:.2f} s", f"{seconds / total:.0%}"] for name, seconds in times.items()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 repeat")
    args = parser.parse_args()
    repeats = 1 if args.quick else REPEATS

    import logging

    import jieba

    from lawgov_cls import load_model, tag_batch
    from lawgov_cls.corpus import load_corpus
    from lawgov_cls.features import normalize
    from lawgov_cls.model import train_model
    from lawgov_cls.read import read_report

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}")
    work = Path(tempfile.mkdtemp(prefix="lawgov_bench_"))
    try:
        bulk = work / "bulk"
        bulk.mkdir()
        for i in range(COPIES):
            for seed in SEEDS:
                shutil.copy(seed, bulk / f"{i:03d}_{seed.name}")
        files = sorted(bulk.iterdir())
        texts = [read_report(f) for f in files]
        chars = sum(len(t) for t in texts)
        size_mb = sum(f.stat().st_size for f in files) / 2**20
        print(f"corpus: {len(files)} files, {size_mb:.1f} MB, {chars:,} characters\n")

        model = load_model()
        jieba.setLogLevel(logging.WARNING)
        jieba.dt.tmp_dir = str(work)
        jieba.initialize()
        model.tag_text(texts[0])  # first-call set-up (tokenizer dictionary, lookups)
        # Raw jieba on the same normalised text, one call per line as the tagger does.
        lines = [normalize(line) for t in texts for line in t.split("\n") if line.strip()]
        t_jieba = median_time(lambda: [jieba.lcut(l) for l in lines], repeats)
        t_text = median_time(lambda: [model.tag_text(t) for t in texts], repeats)
        # --timeout 0: no time limit, so --jobs 1 tags in this process, without a worker.
        # The two are timed in turns, best of PAIRED_ROUNDS, so that load on the machine
        # changing between them does not pass for the cost of the worker.
        t_tag1, t_tag1_inproc = paired_best_times(
            [lambda: tag_batch(model, [bulk], work / "o1", jobs=1),
             lambda: tag_batch(model, [bulk], work / "o1i", jobs=1, timeout=0)], PAIRED_ROUNDS)
        main_cpu = []  # this process's CPU time while two workers tag: its share of the work

        def jobs2():
            start = time.process_time()
            tag_batch(model, [bulk], work / "o2", jobs=2)
            main_cpu.append(time.process_time() - start)

        t_tag2 = median_time(jobs2, repeats)

        one = SEEDS[0]
        t_cold = statistics.median(run_cli(["tag", str(one), "--out", str(work / f"c{i}"),
                                            "--quiet"])[0] for i in range(repeats + 2))
        bare = ("import sklearn, jieba, pandas, logging; jieba.setLogLevel(logging.WARNING); "
                "jieba.initialize()")
        t_bare = statistics.median(
            _timed([sys.executable, "-c", bare]) for _ in range(repeats + 2))
        t_help = statistics.median(run_cli(["--help"])[0] for _ in range(repeats + 2))
        # The part of cold start that the safe model format costs: importing skops as the
        # model module does (without skops's scan of scikit-learn, see model.skops_io), and
        # as a plain `import skops.io` would.
        skops = ("import lawgov_cls.model as m, time; "
                 "t = time.perf_counter(); m.skops_io(); print(time.perf_counter() - t)")
        plain = ("import lawgov_cls.model, time; "
                 "t = time.perf_counter(); import skops.io; print(time.perf_counter() - t)")
        t_skops, t_plain = (statistics.median(float(subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True).stdout)
            for _ in range(repeats + 2)) for code in (skops, plain))
        # The rest of it: loading the model file, then the first report (vocabulary
        # lookups, rjieba's dictionary); and what jieba's initialisation costs the bare side.
        steps = ("import time, lawgov_cls; from lawgov_cls.tag import tag_text; "
                 "from lawgov_cls.model import skops_io; skops_io(); "
                 "t0 = time.perf_counter(); m = lawgov_cls.load_model(); "
                 "t1 = time.perf_counter(); tag_text(m, '一、依法全面履行政府职能'); "
                 "t2 = time.perf_counter(); print(t1 - t0, t2 - t1)")
        loads = [subprocess.run([sys.executable, "-c", steps], capture_output=True,
                                text=True).stdout.split() for _ in range(repeats + 2)]
        t_load = statistics.median(float(a) for a, _ in loads)
        t_first = statistics.median(float(b) for _, b in loads)
        init = ("import jieba, logging, time; jieba.setLogLevel(logging.WARNING); "
                "t = time.perf_counter(); jieba.initialize(); print(time.perf_counter() - t)")
        t_init = statistics.median(float(subprocess.run(
            [sys.executable, "-c", init], capture_output=True, text=True).stdout)
            for _ in range(repeats + 2))

        rss_one = child_peak_rss_mb(["tag", str(one), "--out", str(work / "m1"), "--quiet"])
        rss_bulk = child_peak_rss_mb(["tag", str(bulk), "--out", str(work / "m2"), "--quiet"])
        rss_bulk2 = child_peak_rss_mb(["tag", str(bulk), "--out", str(work / "m3"), "--quiet",
                                       "--jobs", "2"])

        corpus = load_corpus(ROOT / "data" / "paragraphs.csv")
        t_train = median_time(lambda: train_model(corpus), repeats)

        rows = [
            ["raw jieba.lcut, same text", f"{chars / t_jieba:,.0f} chars/s", f"{t_jieba:.2f} s"],
            ["model.tag_text, one report at a time", f"{chars / t_text:,.0f} chars/s",
             f"{t_text:.2f} s"],
            ["tag --jobs 1 (worker process; read, segment, tag, coverage, write; best of 2)",
             f"{chars / t_tag1:,.0f} chars/s",
             f"{t_tag1:.2f} s"],
            ["tag --jobs 1 --timeout 0 (in-process, no time limit; best of 2 in turns)",
             f"{chars / t_tag1_inproc:,.0f} chars/s", f"{t_tag1_inproc:.2f} s"],
            ["cost of the worker process per file (--jobs 1 vs --timeout 0)",
             f"{1000 * (t_tag1 - t_tag1_inproc) / len(files):+.1f} ms", ""],
            ["tag --jobs 2", f"{chars / t_tag2:,.0f} chars/s", f"{t_tag2:.2f} s"],
            ["main-process CPU during tag --jobs 2 (receive, coverage, write)",
             f"{statistics.median(main_cpu):.2f} s", ""],
            ["ratio tag_text per report / raw jieba", f"{t_jieba / t_text:.2f}x", ""],
            ["ratio tag --jobs 1 / raw jieba", f"{t_jieba / t_tag1:.2f}x", ""],
            ["speed-up --jobs 2 / --jobs 1", f"{t_tag1 / t_tag2:.2f}x", ""],
            ["speed-up --jobs 2 / --jobs 1 --timeout 0 (one process)",
             f"{t_tag1_inproc / t_tag2:.2f}x", ""],
            ["cold start: lawgov-cls tag (1 report)", f"{t_cold:.2f} s", ""],
            ["cold start: import sklearn, jieba, pandas + jieba init", f"{t_bare:.2f} s", ""],
            ["ratio cold start / bare imports", f"{t_cold / t_bare:.2f}x", ""],
            ["of the cold start: import skops.io (model.skops_io, after scikit-learn)",
             f"{t_skops:.2f} s", ""],
            ["plain `import skops.io` instead (skops scans all of scikit-learn)",
             f"{t_plain:.2f} s", ""],
            ["of the cold start: load the model file", f"{t_load:.2f} s", ""],
            ["of the cold start: first paragraph (vocabulary lookups, rjieba dictionary)",
             f"{t_first:.2f} s", ""],
            ["of the bare side: jieba.initialize()", f"{t_init:.2f} s", ""],
            ["lawgov-cls --help", f"{t_help:.2f} s", ""],
            ["peak RSS, 1 report", f"{rss_one:.0f} MB", ""],
            [f"peak RSS, {len(files)} files --jobs 1", f"{rss_bulk:.0f} MB", ""],
            [f"peak RSS, {len(files)} files --jobs 2 (largest process)", f"{rss_bulk2:.0f} MB", ""],
            [f"training time ({len(corpus)} paragraphs)", f"{t_train:.2f} s", ""],
        ]
        print(f"Speed and memory (median of {repeats}):\n")
        print(table(rows, ["measure", "value", "time"]))

        print(f"\nWhere tagging time goes (process CPU time, {len(files)} files, one process):\n")
        print(table(stage_profile(model, files), ["stage", "CPU time", "share"]))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _timed(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
