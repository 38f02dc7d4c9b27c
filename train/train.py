"""Train the bundled model on data/paragraphs.csv and write models/ (model, metrics, card).

    python train/train.py          # same as: lawgov-cls train

The model is trained on every labelled paragraph; the metrics come from
leave-one-report-out over the seed reports (see train/evaluate.py).
"""

from pathlib import Path

from lawgov_cls.evaluate import format_report, train_and_save
from lawgov_cls.model import ModelConfig

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "paragraphs.csv"  # the labelled corpus
MODELS = ROOT / "models"  # where lawgov_cls.joblib, metrics.json and MODEL_CARD.md go
CONFIG = ModelConfig()  # the variant chosen by leave-one-report-out (see VARIANTS)
USE_AUTHORED = True  # train on authored examples too (they are never scored)

if __name__ == "__main__":
    model, evaluation = train_and_save(DATA, MODELS, CONFIG, USE_AUTHORED)
    print(format_report(evaluation))
    print(f"\nsaved {model!r} to {MODELS}")
