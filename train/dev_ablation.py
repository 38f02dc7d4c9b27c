"""What the document context (and the other settings) do on the dev set, read after the
choices were made.

    python train/dev_ablation.py [VARIANT ...]

The settings of the bundled model were chosen on leave-one-report-out and grouped
cross-validation (`lawgov-cls evaluate --variants`), never on the dev set. This script
reports, for a few of those variants, what the same choice gives on the dev set, overall
and by kind of document, so that the README can say whether context helps there too. Its
output must not be used to change the settings: that would make the dev set a tuning set.
"""

import sys
from pathlib import Path

from lawgov_cls.card import markdown_table
from lawgov_cls.corpus import load_corpus, load_genres, resolve_paths
from lawgov_cls.evaluate import dev_ablation

ROOT = Path(__file__).resolve().parent.parent
PATHS = resolve_paths(need_models=False, cwd=ROOT)  # the checkout's corpus, dev set, structure labels
NAMES = ["default", "no document context", "context: + topic prior on every paragraph",
         "context: genre × shape, every genre"]  # the context variants of lawgov_cls.evaluate.VARIANTS

if __name__ == "__main__":
    table = dev_ablation(load_corpus(PATHS.corpus), load_corpus(PATHS.dev),
                         load_genres(PATHS.structure), sys.argv[1:] or NAMES, progress=print)
    print(markdown_table(table))
