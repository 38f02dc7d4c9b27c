"""Evaluation by document, never by random paragraph split.

Three views, each scored per class with macro-F1 and a confusion matrix:

- **leave-one-report-out** over the real reports (``source`` seed or reviewed): each is
  tagged by a model trained on the other real reports and the authored documents;
- **grouped cross-validation** over the authored documents (whole documents per fold),
  optimistic because authored text is cleaner than real text;
- the **held-out dev set** (``data/dev.csv``): authored documents by writers who never saw
  the training rows, tagged by the model trained on everything else; never used to choose
  features or settings.

Paragraphs are predicted as tagging predicts them: page furniture is 其他 whatever the
model says (see ``tag.tag_paragraphs``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

from lawgov_cls.baselines import baseline_taggers, fit_predict
from lawgov_cls.labels import LABELS, OTHER, TASK_LABELS, UNKNOWN_GENRE
from lawgov_cls.model import ModelConfig, fit_pipeline, model_input

#: Sources of real report text: each of their documents is one leave-one-report-out fold.
REAL_SOURCES = ("seed", "reviewed")
#: Folds of the grouped cross-validation over authored documents.
CV_FOLDS = 5

Progress = Callable[[str], None]


def _quiet(message: str) -> None:
    pass


def score(y_true, y_pred) -> dict:
    """Per-class precision/recall/F1/support, macro-F1 (7 labels and 6 tasks), accuracy."""
    labels = list(LABELS)
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    return {
        "n": int(len(y_true)),
        "macro_f1": round(float(f1_score(y_true, y_pred, labels=labels, average="macro",
                                         zero_division=0)), 4),
        "macro_f1_tasks": round(float(f1_score(y_true, y_pred, labels=list(TASK_LABELS),
                                               average="macro", zero_division=0)), 4),
        "accuracy": round(float(accuracy_score(y_true, y_pred)), 4),
        "per_class": {l: {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4),
                          "f1": round(float(f[i]), 4), "support": int(s[i])}
                      for i, l in enumerate(labels)},
        "confusion": confusion_matrix(y_true, y_pred, labels=labels).tolist(),
    }


def real_docs(corpus: pd.DataFrame) -> list[str]:
    """The documents of real report text, one leave-one-report-out fold each."""
    return sorted(corpus.loc[corpus["source"].isin(REAL_SOURCES), "doc"].unique())


def seed_docs(corpus: pd.DataFrame) -> list[str]:
    return sorted(corpus.loc[corpus["source"] == "seed", "doc"].unique())


def predict_rows(pipeline, rows: pd.DataFrame) -> pd.DataFrame:
    """doc, para, label, pred, confidence for labelled rows (whole documents, in order)."""
    from lawgov_cls.segment import is_furniture

    proba = pipeline.predict_proba(model_input(rows))
    classes = np.asarray(pipeline.classes_)
    pred = classes[proba.argmax(axis=1)].astype(object)
    confidence = proba.max(axis=1)
    furniture = np.array([is_furniture(t) for t in rows["text"]], dtype=bool)
    pred[furniture], confidence[furniture] = OTHER, 1.0
    return pd.DataFrame({"doc": rows["doc"].to_numpy(), "para": rows["para"].to_numpy(),
                         "label": rows["label"].to_numpy(), "pred": pred,
                         "confidence": confidence})


def _train_rows(corpus: pd.DataFrame, held_out, use_authored: bool = True) -> pd.DataFrame:
    """Every real document but ``held_out`` (a doc or a set of docs), plus authored rows."""
    held_out = {held_out} if isinstance(held_out, str) else set(held_out)
    keep = corpus["source"].isin(REAL_SOURCES) | (use_authored & (corpus["source"] == "authored"))
    return corpus[keep & ~corpus["doc"].isin(held_out)]


def loro_predictions(corpus: pd.DataFrame, config: ModelConfig = ModelConfig(),
                     use_authored: bool = True, progress: Progress = _quiet) -> pd.DataFrame:
    """Held-out predictions for every paragraph of every real document."""
    parts = []
    docs = real_docs(corpus)
    for i, doc in enumerate(docs, 1):
        progress(f"leave-one-report-out: fold {i}/{len(docs)} ({doc})")
        pipeline = fit_pipeline(_train_rows(corpus, doc, use_authored), config)
        parts.append(predict_rows(pipeline, corpus[corpus["doc"] == doc]))
    return pd.concat(parts, ignore_index=True)


def authored_folds(corpus: pd.DataFrame, folds: int = CV_FOLDS) -> list[list[str]]:
    """Authored documents dealt into ``folds`` groups, whole documents, deterministic."""
    docs = sorted(corpus.loc[corpus["source"] == "authored", "doc"].unique())
    order = np.random.RandomState(0).permutation(len(docs))
    # Fewer documents than folds: one document per fold, no empty folds.
    return [[docs[j] for j in order[k::folds]] for k in range(min(folds, len(docs)))]


def grouped_cv_predictions(corpus: pd.DataFrame, config: ModelConfig = ModelConfig(),
                           folds: int = CV_FOLDS, progress: Progress = _quiet) -> pd.DataFrame:
    """Held-out predictions for every authored paragraph, whole documents per fold."""
    parts = []
    groups = authored_folds(corpus, folds)
    if not groups:
        return pd.DataFrame(columns=["doc", "para", "label", "pred", "confidence"])
    for i, held_out in enumerate(groups, 1):
        progress(f"grouped cross-validation: fold {i}/{len(groups)}")
        pipeline = fit_pipeline(_train_rows(corpus, held_out), config)
        parts.append(predict_rows(pipeline, corpus[corpus["doc"].isin(held_out)]))
    return pd.concat(parts, ignore_index=True)


def baseline_scores(corpus: pd.DataFrame, dev: pd.DataFrame | None = None) -> dict[str, dict]:
    """Scores of the baselines: leave-one-report-out folds, and the dev set if given."""
    results = {}
    for name, tagger in baseline_taggers().items():
        truth, preds = [], []
        for doc in real_docs(corpus):
            test = corpus[corpus["doc"] == doc]
            preds += fit_predict(tagger, _train_rows(corpus, doc), test)
            truth += test["label"].tolist()
        results[name] = {"loro": score(truth, preds)}
        if dev is not None and len(dev):
            results[name]["dev"] = score(dev["label"], fit_predict(tagger, corpus, dev))
    return results


# --- the dev set, by genre --------------------------------------------------------------

#: How the dev set's genres are grouped when reported (see lawgov_cls.structure).
ANNUAL = "年度报告"
PLANS = ("实施方案", "工作要点", "述法报告")


def genre_group(genre: str) -> str:
    if genre == ANNUAL:
        return "annual reports"
    if genre in PLANS:
        return "plans and 述法"
    return "single-topic"


def document_kinds(docs: pd.Series, genres: dict[str, str]) -> pd.Series:
    """genre_group of each document of ``docs`` (a document without a genre: 未知)."""
    return docs.map(genres).fillna(UNKNOWN_GENRE).map(genre_group)


def scores_by(predictions: pd.DataFrame, key: pd.Series) -> pd.DataFrame:
    """One row per value of ``key`` (aligned with predictions): documents, paragraphs, and
    macro-F1 over the task labels that occur in the group (a single report has few of the
    six; a label with no paragraph would count as F1 0), over all six, and accuracy."""
    rows = []
    for value, part in predictions.groupby(key.to_numpy(), sort=True):
        s = score(part["label"], part["pred"])
        present = [l for l in TASK_LABELS if s["per_class"][l]["support"]]
        rows.append({"group": value, "documents": part["doc"].nunique(), "paragraphs": len(part),
                     "task_labels_present": len(present),
                     "macro_f1_present": round(float(np.mean([s["per_class"][l]["f1"]
                                                              for l in present])), 4)
                     if present else float("nan"),
                     "macro_f1_tasks": s["macro_f1_tasks"], "accuracy": s["accuracy"]})
    return pd.DataFrame(rows)


@dataclass
class Evaluation:
    """Everything the evaluation report, metrics.json and the model card show."""

    config: ModelConfig
    loro: dict
    loro_predictions: pd.DataFrame
    baselines: dict
    cv: dict | None = None
    dev: dict | None = None
    dev_predictions: pd.DataFrame | None = None
    dev_by_group: pd.DataFrame | None = None
    dev_by_genre: pd.DataFrame | None = None
    review_threshold: float = 0.5
    review: dict = field(default_factory=dict)
    top_terms: dict = field(default_factory=dict)
    counts: dict = field(default_factory=dict)

    def metrics(self) -> dict:
        """The metrics.json content."""
        out = {"loro": self.loro, "grouped_cv": self.cv, "dev": self.dev,
               "baselines": self.baselines, "review": self.review,
               "config": self.config.to_dict(), "counts": self.counts}
        for name in ("dev_by_group", "dev_by_genre"):
            table = getattr(self, name)
            out[name] = table.to_dict(orient="records") if table is not None else None
        return out


def review_stats(predictions: pd.DataFrame, threshold: float) -> dict:
    """Accuracy of paragraphs above and below the review threshold."""
    low = predictions["confidence"] < threshold
    correct = predictions["label"] == predictions["pred"]
    return {"threshold": threshold, "share_flagged": round(float(low.mean()), 4),
            "accuracy_flagged": round(float(correct[low].mean()), 4) if low.any() else None,
            "accuracy_unflagged": round(float(correct[~low].mean()), 4) if (~low).any() else None}


def evaluate_corpus(corpus: pd.DataFrame, config: ModelConfig = ModelConfig(),
                    dev: pd.DataFrame | None = None, genres: dict[str, str] | None = None,
                    cv: bool = True, model=None, progress: Progress = _quiet) -> Evaluation:
    """All three views of ``config`` plus the baselines.

    ``dev``: the held-out rows (``data/dev.csv``); ``genres``: doc → genre for reporting the
    dev set by genre; ``model`` (trained on all of ``corpus``) supplies the top terms and
    tags the dev set (else one is trained here).
    """
    from lawgov_cls.tag import REVIEW_THRESHOLD

    loro = loro_predictions(corpus, config, progress=progress)
    evaluation = Evaluation(
        config=config, loro=score(loro["label"], loro["pred"]), loro_predictions=loro,
        baselines=baseline_scores(corpus, dev), review_threshold=REVIEW_THRESHOLD,
        review=review_stats(loro, REVIEW_THRESHOLD),
        counts={"real_paragraphs": int(corpus["source"].isin(REAL_SOURCES).sum()),
                "real_documents": len(real_docs(corpus)),
                "authored_paragraphs": int((corpus["source"] == "authored").sum()),
                "authored_documents": int(corpus.loc[corpus["source"] == "authored", "doc"]
                                          .nunique()),
                "dev_paragraphs": 0 if dev is None else int(len(dev)),
                "dev_documents": 0 if dev is None else int(dev["doc"].nunique())})
    if cv:
        predictions = grouped_cv_predictions(corpus, config, progress=progress)
        evaluation.cv = score(predictions["label"], predictions["pred"])
    if model is None:
        from lawgov_cls.model import train_model

        progress("training on all labelled data")
        model = train_model(corpus, config)
    evaluation.top_terms = model.top_terms(12)
    if dev is not None and len(dev):
        progress("tagging the dev set")
        predictions = predict_rows(model.pipeline, dev)
        evaluation.dev, evaluation.dev_predictions = score(predictions["label"],
                                                           predictions["pred"]), predictions
        genre = predictions["doc"].map(genres or {}).fillna(UNKNOWN_GENRE)
        evaluation.dev_by_group = scores_by(predictions, genre.map(genre_group))
        evaluation.dev_by_genre = scores_by(predictions, genre)
    return evaluation


# --- variants (the quality benchmark) --------------------------------------------------

#: Feature/classifier variants compared side by side, like the 20-newsgroups benchmark.
VARIANTS: dict[str, ModelConfig] = {
    "default": ModelConfig(),
    "no document context": ModelConfig(context=()),
    "context: + topic prior on every paragraph": ModelConfig(context=("pair", "prior")),
    "context: genre × shape, every genre": ModelConfig(context=("genre",)),
    "context: no table-row shape": ModelConfig(context_exclude=("table", "header")),
    "context: + header-row shape": ModelConfig(context_exclude=()),
    "context weight 0.5": ModelConfig(context_weight=0.5),
    "context weight 2": ModelConfig(context_weight=2.0),
    "words only": ModelConfig(chars=False),
    "chars only": ModelConfig(words=False),
    "LinearSVC (calibrated)": ModelConfig(classifier="svm"),
    "SGD log-loss": ModelConfig(classifier="sgd"),
    "ComplementNB": ModelConfig(classifier="cnb"),
    "no class weights": ModelConfig(class_weight=None),
    "C=1": ModelConfig(C=1.0),
    "C=30": ModelConfig(C=30.0),
    "no domain words (the default before the ninth dev read)": ModelConfig(domain_words=""),
    "domain words: one copy for all single-topic documents": ModelConfig(domain_words="single"),
    "off-topic paragraphs weighted 2": ModelConfig(off_topic_weight=2.0),
    "no domain words, off-topic paragraphs weighted 2":
        ModelConfig(domain_words="", off_topic_weight=2.0),
}


def compare_variants(corpus: pd.DataFrame, names: list[str] | None = None,
                     genres: dict[str, str] | None = None,
                     progress: Progress = _quiet) -> pd.DataFrame:
    """One row per variant and baseline: macro-F1 over the six tasks on the real reports
    (leave-one-report-out) and on authored documents (grouped CV), and accuracy.

    ``genres`` (doc → genre): also the grouped-CV macro-F1 of each kind of document
    (genre_group), which is how the gap between single-topic documents and annual reports
    is watched without the dev set. These are the figures settings are chosen by; the dev
    set is never used here.
    """
    rows = []
    for name in names or list(VARIANTS):
        progress(f"variant: {name}")
        config = VARIANTS[name]
        loro = loro_predictions(corpus, config)
        cv = grouped_cv_predictions(corpus, config)
        row = {"variant": name, **_pair(score(loro["label"], loro["pred"]),
                                        score(cv["label"], cv["pred"]))}
        if genres is not None:
            for group in scores_by(cv, document_kinds(cv["doc"], genres)).itertuples():
                row[f"cv {group.group}"] = group.macro_f1_tasks
        rows.append(row)
    for name, s in baseline_scores(corpus).items():
        rows.append({"variant": f"baseline: {name}", "loro_macro_f1_tasks":
                     s["loro"]["macro_f1_tasks"], "loro_accuracy": s["loro"]["accuracy"]})
    return pd.DataFrame(rows)


def dev_ablation(corpus: pd.DataFrame, dev: pd.DataFrame, genres: dict[str, str],
                 names: list[str], progress: Progress = _quiet) -> pd.DataFrame:
    """Macro-F1 over the six tasks on the dev set, overall and per kind of document, for
    each named variant trained on all of ``corpus``.

    For reporting what the choices did after they were made (train/dev_ablation.py); the
    settings are chosen by compare_variants, which never reads the dev set.
    """
    from lawgov_cls.model import train_model

    kind = document_kinds(dev["doc"], genres)
    rows = []
    for name in names:
        progress(f"variant: {name}")
        predictions = predict_rows(train_model(corpus, VARIANTS[name]).pipeline, dev)
        row = {"variant": name, "dev_macro_f1_tasks": score(predictions["label"],
                                                            predictions["pred"])["macro_f1_tasks"]}
        for group in scores_by(predictions, kind).itertuples():
            row[f"{group.group} (macro_f1_present)"] = group.macro_f1_present
        rows.append(row)
    return pd.DataFrame(rows)


def _pair(loro: dict, cv: dict) -> dict:
    return {"loro_macro_f1_tasks": loro["macro_f1_tasks"], "loro_accuracy": loro["accuracy"],
            "cv_macro_f1_tasks": cv["macro_f1_tasks"], "cv_accuracy": cv["accuracy"]}


# --- the train command ------------------------------------------------------------------


def train_and_save(data_path, models_dir, config: ModelConfig = ModelConfig(),
                   dev_path=None, structure_path=None, progress: Progress = _quiet):
    """Train on all of ``data_path``, evaluate (all three views), write the bundle.

    Writes ``lawgov_cls.skops``, ``metrics.json`` and ``MODEL_CARD.md`` into ``models_dir``
    and returns (model, evaluation).
    """
    from pathlib import Path

    from lawgov_cls.card import write_metrics, write_model_card
    from lawgov_cls.corpus import file_sha256, load_corpus, load_genres
    from lawgov_cls.model import train_model
    from lawgov_cls.resources import MODEL_FILENAME

    corpus = load_corpus(data_path)
    dev = load_corpus(dev_path) if dev_path and Path(dev_path).exists() else None
    genres = load_genres(structure_path) if structure_path and Path(structure_path).exists() else {}
    progress(f"training on {len(corpus)} paragraphs")
    model = train_model(corpus, config, data_sha256=file_sha256(data_path))
    evaluation = evaluate_corpus(corpus, config, dev=dev, genres=genres, model=model,
                                 progress=progress)
    model.metadata["metrics"] = {"loro": _headline(evaluation.loro),
                                 "grouped_cv": _headline(evaluation.cv),
                                 "dev": _headline(evaluation.dev)}
    models_dir = Path(models_dir)
    models_dir.mkdir(parents=True, exist_ok=True)
    model.save(models_dir / MODEL_FILENAME)
    write_metrics(evaluation, models_dir / "metrics.json")
    write_model_card(evaluation, model.metadata, models_dir / "MODEL_CARD.md")
    return model, evaluation


def _headline(scores: dict | None) -> dict | None:
    if scores is None:
        return None
    return {k: scores[k] for k in ("n", "macro_f1", "macro_f1_tasks", "accuracy")}


@dataclass
class EvaluateResult:
    """What ``lawgov-cls evaluate`` shows: the evaluation, its report, the variants table."""

    evaluation: Evaluation
    report: str
    variants: pd.DataFrame | None = None


def evaluate_paths(paths, variants: bool = False, out_dir=None,
                   progress: Progress = _quiet) -> EvaluateResult:
    """Evaluate on the files of ``paths`` (a corpus.DataPaths); optionally compare variants
    and write evaluation.md, metrics.json (and variants.csv) into ``out_dir``."""
    from pathlib import Path

    from lawgov_cls.card import format_report, markdown_table, write_metrics
    from lawgov_cls.corpus import load_corpus, load_genres
    from lawgov_cls.output import atomic_path

    corpus = load_corpus(paths.corpus)
    dev = load_corpus(paths.dev) if Path(paths.dev).exists() else None
    genres = load_genres(paths.structure) if Path(paths.structure).exists() else {}
    evaluation = evaluate_corpus(corpus, dev=dev, genres=genres, progress=progress)
    report = format_report(evaluation)
    table = None
    if variants:
        table = compare_variants(corpus, genres=genres, progress=progress)
        report += ("\n\nVariants (chosen by these two columns; the dev set is not used):\n\n"
                   + markdown_table(table))
    if out_dir:
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        with atomic_path(out_dir / "evaluation.md") as tmp:
            tmp.write_text(report + "\n", encoding="utf-8")
        write_metrics(evaluation, out_dir / "metrics.json")
        if table is not None:
            with atomic_path(out_dir / "variants.csv") as tmp:
                table.to_csv(tmp, index=False)
    return EvaluateResult(evaluation, report, table)
