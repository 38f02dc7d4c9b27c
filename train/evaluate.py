"""Evaluate the model by document, with its variants and the baselines.

    python train/evaluate.py       # same as: lawgov-cls evaluate --variants (from the checkout)

Leave-one-report-out on the real reports, grouped cross-validation on the authored
documents, and the held-out dev set (read, never used to choose anything); the variants
table compares settings on the first two only.
"""

from pathlib import Path

from lawgov_cls.corpus import resolve_paths
from lawgov_cls.evaluate import evaluate_paths

ROOT = Path(__file__).resolve().parent.parent
PATHS = resolve_paths(need_models=False, cwd=ROOT)  # the checkout's corpus, dev set and structure labels
VARIANTS = True  # also compare the variants of lawgov_cls.evaluate.VARIANTS

if __name__ == "__main__":
    print(evaluate_paths(PATHS, variants=VARIANTS, progress=print).report)
