"""The bundled model's errors on the dev set's single-topic documents, with per-class
scores of each kind of document.

    python train/dev_errors.py

For reporting what the model gets wrong after the dev set has been read (README, "How well
it works"); like train/dev_ablation.py, its output must not be used to change settings
that the same dev set then measures.
"""

from pathlib import Path

import pandas as pd
from sklearn.metrics import classification_report, f1_score

from lawgov_cls import TASK_LABELS, load_model
from lawgov_cls.corpus import load_corpus, load_genres, resolve_paths
from lawgov_cls.evaluate import document_kinds, predict_rows

ROOT = Path(__file__).resolve().parent.parent
PATHS = resolve_paths(need_models=False, cwd=ROOT)  # the checkout's dev set and structure labels
GROUPS = ["single-topic", "annual reports"]  # kinds of document to score (evaluate.genre_group)
SHOW = "single-topic"  # whose errors to list

if __name__ == "__main__":
    dev = load_corpus(PATHS.dev)
    genres = load_genres(PATHS.structure)
    # As `lawgov-cls train` scores it: whole documents with their context, furniture 其他.
    dev["pred"] = predict_rows(load_model().pipeline, dev)["pred"].to_numpy()
    dev["group"] = document_kinds(dev["doc"], genres)
    for group in GROUPS:
        part = dev[dev["group"] == group]
        print(f"{group}:\n{classification_report(part['label'], part['pred'], digits=3, zero_division=0)}")
        # A task label with one paragraph in the group swings macro-F1 by a sixth on its own.
        counts = part["label"].value_counts()
        several = [t for t in TASK_LABELS if counts.get(t, 0) >= 2]
        f1 = f1_score(part["label"], part["pred"], labels=several, average="macro", zero_division=0)
        print(f"macro-F1 over the task labels with two or more paragraphs ({len(several)}): {f1:.3f}\n")
    errors = dev[(dev["group"] == SHOW) & (dev["label"] != dev["pred"])]
    print(errors.groupby(["label", "pred"]).size().sort_values(ascending=False).to_string(), "\n")
    with pd.option_context("display.width", 200, "display.max_colwidth", 60):
        print(errors[["doc", "para", "label", "pred", "text"]].to_string(index=False))
