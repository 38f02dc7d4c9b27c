"""The document-context variants alone, on the two views settings are chosen by.

    python train/context_variants.py

A quicker subset of `lawgov-cls evaluate --variants` (which runs every variant of
lawgov_cls.evaluate.VARIANTS): leave-one-report-out on the seeds and grouped
cross-validation of the authored documents, for the default and the context variants.
The dev set is not read.
"""

from pathlib import Path

from lawgov_cls.card import markdown_table
from lawgov_cls.corpus import load_corpus, resolve_paths
from lawgov_cls.evaluate import compare_variants

ROOT = Path(__file__).resolve().parent.parent
PATHS = resolve_paths(need_models=False, cwd=ROOT)  # the checkout's corpus (dev set unused)
NAMES = ["default", "no document context", "context: no table-row shape"]  # of evaluate.VARIANTS

if __name__ == "__main__":
    table = compare_variants(load_corpus(PATHS.corpus), NAMES, progress=print)
    print(markdown_table(table[table["variant"].isin(NAMES)]))
