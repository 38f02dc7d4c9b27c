"""Measure what correcting reviewed paragraphs gains, against correcting random ones.

    python train/simulate_review.py [--jobs 2] [--seeds 3] [--pool siblings|same-report|both]

Each seed report is held out in turn and scored. "siblings": the other seed reports are
the unlabelled pool; a model trained on the authored rows picks N = 20/50/100 of their
paragraphs by the review rule (or at random), they are added with their true labels and
the model is retrained. "same-report": N = 5/10/20 paragraphs of the held-out report
itself are corrected and the report tagged again. See lawgov_cls/simulate.py. Prints
markdown tables; the README's "Correct and retrain" section shows their output.
"""

import argparse
import platform
import time
from pathlib import Path

from lawgov_cls.card import markdown_table
from lawgov_cls.corpus import load_corpus
from lawgov_cls.simulate import simulate_review

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "paragraphs.csv"  # seed and authored rows (reviewed rows are ignored)
SEED_DIR = ROOT / "seeds"  # the seed report files, tagged as `lawgov-cls review` tags them

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2, help="retrain in this many processes")
    parser.add_argument("--seeds", type=int, default=3, help="random selections per N")
    parser.add_argument("--pool", choices=["siblings", "same-report", "both"], default="both")
    args = parser.parse_args()
    corpus = load_corpus(DATA)
    seeds = corpus[corpus["source"] == "seed"]
    pools = ["siblings", "same report"] if args.pool == "both" else [args.pool.replace("-", " ")]
    for pool in pools:
        start = time.perf_counter()
        table = simulate_review(corpus, SEED_DIR, pool=pool, random_seeds=range(args.seeds),
                                jobs=args.jobs, progress=print)
        print(f"\nPool: {pool}. Held-out scores pooled over {seeds['doc'].nunique()} seed "
              f"reports ({len(seeds)} paragraphs); 'corrected' is per held-out report. "
              f"{time.perf_counter() - start:.0f} s on {platform.machine()}, Python "
              f"{platform.python_version()}, --jobs {args.jobs}.\n")
        print(markdown_table(table) + "\n")
