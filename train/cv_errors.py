"""Per-class scores of grouped cross-validation, by kind of document, the most frequent
confusions in single-topic documents, and their accuracy by paragraph shape.

    python train/cv_errors.py

The training documents' view of the gap between single-topic documents and annual reports
(README, "How well it works"): the default settings, five folds of whole authored
documents, as `lawgov-cls train` scores them. The dev set is not read, so this may guide
choices.
"""

from pathlib import Path

from sklearn.metrics import classification_report

from lawgov_cls.context import paragraph_shapes
from lawgov_cls.corpus import load_corpus, load_genres, resolve_paths
from lawgov_cls.evaluate import document_kinds, grouped_cv_predictions
from lawgov_cls.labels import OTHER

ROOT = Path(__file__).resolve().parent.parent
PATHS = resolve_paths(need_models=False, cwd=ROOT)  # the checkout's corpus (dev set unused)
GROUPS = ["single-topic", "annual reports"]  # kinds of document to score (evaluate.genre_group)
TOP = 12  # confusions listed

if __name__ == "__main__":
    genres = load_genres(PATHS.structure)
    corpus = load_corpus(PATHS.corpus)
    cv = grouped_cv_predictions(corpus, progress=print)
    cv["group"] = document_kinds(cv["doc"], genres)
    for group in GROUPS:
        part = cv[cv["group"] == group]
        print(f"\n{group} ({part['doc'].nunique()} documents):\n"
              f"{classification_report(part['label'], part['pred'], digits=3, zero_division=0)}")
    errors = cv[(cv["group"] == "single-topic") & (cv["label"] != cv["pred"])]
    print(errors.groupby(["label", "pred"]).size().sort_values(ascending=False).head(TOP).to_string())
    # Shapes as the context sees them (a heading's flag left aside: is_heading needs the
    # splitter); 'header' is a table row without a figure.
    single = cv[cv["group"] == "single-topic"].merge(corpus[["doc", "para", "text"]],
                                                     on=["doc", "para"])
    single["shape"] = [next((s for s in ("header", "table", "stats")
                             if s in paragraph_shapes(t, is_heading=False)), "other")
                       for t in single["text"]]
    single["right"] = single["label"] == single["pred"]
    single["to_other"] = ~single["right"] & (single["pred"] == OTHER)
    by_shape = single.groupby("shape").agg(paragraphs=("right", "size"),
                                           accuracy=("right", "mean"),
                                           errors_tagged_other=("to_other", "sum"))
    print(f"\nsingle-topic documents by shape:\n{by_shape.round(3).to_string()}")
