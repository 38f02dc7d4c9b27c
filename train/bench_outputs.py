"""Cost of the outputs an analyst opens (results.xlsx, report.html) on the bench corpus.

    python train/bench_outputs.py            # 550 files (the seeds copied 110 times)
    python train/bench_outputs.py --copies 20

Prints, side by side in one run: the time to write each output from the already tagged
paragraphs (CSV tables, the workbook, report.html), end-to-end `tag` runs with and without
them (each configuration run in turns, best of ROUNDS), the sizes of the files, and how long
headless Chromium takes to open and draw report.html (when chromium is installed).
"""

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import paired_best_times, table  # train/bench.py: the same timing and tables

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
ROUNDS = 2


def best_of(fns, rounds=ROUNDS):
    """Best time of each function, the functions run in turns ``rounds`` times."""
    return paired_best_times(fns, rounds)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=110)
    parser.add_argument("--rounds", type=int, default=ROUNDS,
                        help="end-to-end runs of each configuration, in turns (best counts)")
    args = parser.parse_args()

    from lawgov_cls import load_model
    from lawgov_cls.batch import TagOptions, _Writers, tag_batch
    from lawgov_cls.coverage import report_coverage, summarize_coverage
    from lawgov_cls.batch import BatchResult
    from lawgov_cls.structure import summarize_structure
    from lawgov_cls.tag import iter_tagged

    load_before = os.getloadavg()[0]
    model = load_model()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        bulk = work / "bulk"
        bulk.mkdir()
        for i in range(args.copies):
            for seed in SEEDS:
                shutil.copy(seed, bulk / f"{i:03d}_{seed.name}")
        files = len(SEEDS) * args.copies

        # Tag once; then time each writer on the same tagged paragraphs.
        tagged = [(t.frame, report_coverage(t.frame, doc, t.structure))
                  for doc, t, error in iter_tagged(model, [bulk], jobs=2) if not error]
        paragraphs = sum(len(f) for f, _ in tagged)

        def write(fmt, html, name):
            options = TagOptions(fmt=fmt, html=html)
            out = work / name
            out.mkdir(exist_ok=True)
            writers = _Writers(out, options)
            result = BatchResult(options=options)
            for frame, row in tagged:
                writers.add(frame, row)
            rows = [row for _, row in tagged]
            result.coverage, result.structure = summarize_coverage(rows), summarize_structure(rows)
            writers.finish(result)

        t_csv, t_xlsx, t_html = best_of([lambda: write("csv", False, "csv"),
                                         lambda: write("xlsx", False, "xlsx"),
                                         lambda: write("jsonl", True, "html")])
        (t_jsonl,) = best_of([lambda: write("jsonl", False, "jsonl")])
        t_html = max(0.0, t_html - t_jsonl)
        html_size = (work / "html" / "report.html").stat().st_size
        xlsx_size = (work / "xlsx" / "results.xlsx").stat().st_size

        # End to end, in turns: the default run (csv + report.html), without report.html, xlsx.
        def run(name, **overrides):
            return lambda: tag_batch(model, [bulk], work / name, TagOptions(**overrides))

        e_plain, e_html, e_xlsx = best_of([run("e1", html=False), run("e2"),
                                           run("e3", fmt="xlsx")], args.rounds)

        chrome = shutil.which("chromium")
        t_open = None
        if chrome:
            def draw():
                subprocess.run([chrome, "--headless", "--no-sandbox", "--disable-gpu",
                                "--disable-background-networking", "--disable-component-update",
                                "--no-first-run", f"--user-data-dir={work / 'chrome'}",
                                "--window-size=1400,900", f"--screenshot={work / 'p.png'}",
                                (work / "e2" / "report.html").as_uri()],
                               check=True, capture_output=True, timeout=600)
            (t_blank,) = best_of([lambda: subprocess.run(
                [chrome, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 f"--user-data-dir={work / 'chrome'}", f"--screenshot={work / 'b.png'}",
                 "about:blank"], check=True, capture_output=True, timeout=600)])
            (t_open,) = best_of([draw])

    print(f"{files} files, {paragraphs:,} paragraphs; Python {platform.python_version()}, "
          f"{platform.machine()}; end-to-end: best of {args.rounds} runs in turns; load average "
          f"before: {load_before:.1f}, after: {os.getloadavg()[0]:.1f}")
    rows = [
        ["write CSV tables (paragraphs, coverage x3, errors)", f"{t_csv:.2f} s", ""],
        ["write JSON lines tables", f"{t_jsonl:.2f} s", ""],
        ["write results.xlsx (all sheets)", f"{t_xlsx:.2f} s", f"{xlsx_size / 2**20:.1f} MB"],
        ["write report.html", f"{t_html:.2f} s", f"{html_size / 2**20:.1f} MB"],
        ["tag, --jobs 1, CSV, no report.html", f"{e_plain:.2f} s", ""],
        ["tag, --jobs 1, CSV + report.html (the default)", f"{e_html:.2f} s",
         f"{(e_html - e_plain) / e_plain * 100:+.1f}%"],
        ["tag, --jobs 1, --format xlsx + report.html", f"{e_xlsx:.2f} s",
         f"{(e_xlsx - e_plain) / e_plain * 100:+.1f}%"],
    ]
    if t_open is not None:
        rows.append(["headless Chromium: open and draw report.html", f"{t_open:.2f} s",
                     f"about:blank: {t_blank:.2f} s"])
    print(table(rows, ["measure", "time", "size / change"]))


if __name__ == "__main__":
    sys.exit(main())
