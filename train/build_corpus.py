"""Rebuild data/paragraphs.csv: re-split the seeds (keeping their labels) and add authored rows.

    python train/build_corpus.py

Run it after editing data/authored/*.txt or changing the reader/splitter. Seed labels are
kept by (doc, text); a seed paragraph the splitter now produces differently and that has
no label yet makes it stop with the list to label.
"""

from pathlib import Path

from lawgov_cls.corpus import DEFAULT_CORPUS, build_corpus, label_counts, load_corpus, write_corpus

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT / "seeds"  # the five founding reports, unchanged
AUTHORED_DIR = ROOT / "data" / "authored"  # LABEL<TAB>TEXT files written by the team
CORPUS = DEFAULT_CORPUS  # where the labelled corpus lives (also the source of seed labels)

if __name__ == "__main__":
    labelled = load_corpus(CORPUS, validate=False)
    corpus = build_corpus(SEED_DIR, AUTHORED_DIR, labelled[labelled["source"] == "seed"])
    write_corpus(corpus, CORPUS)
    print(label_counts(corpus).to_string())
    print(f"wrote {len(corpus)} rows to {CORPUS}")
