"""Train the bundled model on data/paragraphs.csv and write models/ (model, metrics, card).

    python train/train.py          # same as: lawgov-cls train (from the checkout)

The model is trained on every labelled paragraph; metrics.json and MODEL_CARD.md report
leave-one-report-out on the real reports, grouped cross-validation on the authored
documents and the held-out dev set (data/dev.csv), see lawgov_cls/evaluate.py.
"""

from pathlib import Path

from lawgov_cls.card import format_report
from lawgov_cls.evaluate import train_and_save
from lawgov_cls.model import ModelConfig

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "paragraphs.csv"  # the labelled corpus (training)
DEV = ROOT / "data" / "dev.csv"  # the held-out dev set (evaluation only)
STRUCTURE = ROOT / "data" / "structure.csv"  # genre per document, to report the dev set by genre
MODELS = ROOT / "models"  # where lawgov_cls.skops, metrics.json and MODEL_CARD.md go
CONFIG = ModelConfig()  # the variant chosen on leave-one-report-out and grouped CV

if __name__ == "__main__":
    model, evaluation = train_and_save(DATA, MODELS, CONFIG, dev_path=DEV,
                                       structure_path=STRUCTURE, progress=print)
    print(format_report(evaluation))
    print(f"\nsaved {model!r} to {MODELS}")
