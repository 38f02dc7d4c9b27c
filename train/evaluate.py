"""Leave-one-report-out evaluation of the model, its variants and the baselines.

    python train/evaluate.py       # same as: lawgov-cls evaluate --variants

Each seed report is predicted by a model trained on the other seed reports plus the
authored examples; only seed paragraphs are scored.
"""

from pathlib import Path

from lawgov_cls.corpus import load_corpus
from lawgov_cls.evaluate import compare_variants, evaluate_corpus, format_report, markdown_table
from lawgov_cls.model import ModelConfig, train_model

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "paragraphs.csv"  # the labelled corpus
CONFIG = ModelConfig()  # the configuration to report on
VARIANTS = None  # None = every variant in lawgov_cls.evaluate.VARIANTS

if __name__ == "__main__":
    corpus = load_corpus(DATA)
    print(format_report(evaluate_corpus(corpus, CONFIG, model=train_model(corpus, CONFIG))))
    print("\nVariants (leave-one-report-out, same folds):\n")
    print(markdown_table(compare_variants(corpus, VARIANTS)))
