"""Rebuild data/paragraphs.csv (seeds, authored, reviewed rows) and data/dev.csv (held out).

    python train/build_corpus.py

Run it after editing data/authored/*.txt or data/dev/*.txt, or after changing the
reader/splitter. Seed labels are kept by (doc, text); a seed paragraph the splitter now
produces differently and that has no label yet makes it stop with the list to label.
Reviewed rows (added by `lawgov-cls add-labels`) are kept as they are.
"""

from pathlib import Path

from lawgov_cls.corpus import (build_corpus, build_dev, label_counts, load_corpus,
                               write_corpus)

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT / "seeds"  # the five founding reports, unchanged
AUTHORED_DIR = ROOT / "data" / "authored"  # LABEL<TAB>TEXT files written by the team (training)
DEV_DIR = ROOT / "data" / "dev"  # LABEL<TAB>TEXT files of the held-out dev set
# This checkout's files, not the installed package's defaults, so that the script run from
# another clone never writes into the checkout the package was installed from.
CORPUS = ROOT / "data" / "paragraphs.csv"  # the training corpus (also the source of seed and reviewed labels)
DEV = ROOT / "data" / "dev.csv"  # the held-out rows

if __name__ == "__main__":
    corpus = build_corpus(SEED_DIR, AUTHORED_DIR, load_corpus(CORPUS, validate=False))
    write_corpus(corpus, CORPUS)
    dev = build_dev(DEV_DIR)
    write_corpus(dev, DEV)
    print(label_counts(corpus).to_string())
    print(f"wrote {len(corpus)} rows to {CORPUS} and {len(dev)} rows to {DEV}")
