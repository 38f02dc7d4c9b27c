"""Variants on the two views settings are chosen by, with grouped CV split by kind of document.

    python train/context_variants.py [VARIANT ...]

A quicker subset of `lawgov-cls evaluate --variants` (which runs every variant of
lawgov_cls.evaluate.VARIANTS): leave-one-report-out on the seeds and grouped
cross-validation of the authored documents, for the default and the context variants,
plus the cross-validated macro-F1 of single-topic documents, annual reports and plans
(the gap issue 9 is judged by, watched here without the dev set). The dev set is not read.
"""

import sys
from pathlib import Path

from lawgov_cls.card import markdown_table
from lawgov_cls.corpus import load_corpus, load_genres, resolve_paths
from lawgov_cls.evaluate import compare_variants

ROOT = Path(__file__).resolve().parent.parent
PATHS = resolve_paths(need_models=False, cwd=ROOT)  # the checkout's corpus (dev set unused)
NAMES = ["default", "no document context", "context: no table-row shape"]  # of evaluate.VARIANTS

if __name__ == "__main__":
    names = sys.argv[1:] or NAMES
    table = compare_variants(load_corpus(PATHS.corpus), names, genres=load_genres(PATHS.structure),
                             progress=print)
    print(markdown_table(table[table["variant"].isin(names)]))
