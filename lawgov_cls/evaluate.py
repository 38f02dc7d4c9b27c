"""Leave-one-report-out evaluation, baselines, the metrics file and the model card.

Only real (``source=seed``) paragraphs are ever scored. For each seed report the model is
trained on the other seed reports (plus the authored examples, if used) and predicts the
held-out one; predictions of all folds are pooled and scored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

from lawgov_cls.baselines import baseline_taggers, fit_predict
from lawgov_cls.labels import LABELS, TASK_LABELS
from lawgov_cls.model import ModelConfig, as_frame, fit_pipeline
from lawgov_cls.output import atomic_path


def score(y_true, y_pred) -> dict:
    """Per-class precision/recall/F1/support, macro-F1 (7 labels and 6 tasks), accuracy."""
    labels = list(LABELS)
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    return {
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


def seed_docs(corpus: pd.DataFrame) -> list[str]:
    return sorted(corpus.loc[corpus["source"] == "seed", "doc"].unique())


def _train_rows(corpus: pd.DataFrame, held_out: str, use_authored: bool) -> pd.DataFrame:
    keep = (corpus["source"] == "seed") & (corpus["doc"] != held_out)
    if use_authored:
        keep |= corpus["source"] == "authored"
    return corpus[keep]


def loro_predictions(corpus: pd.DataFrame, config: ModelConfig = ModelConfig(),
                     use_authored: bool = True) -> pd.DataFrame:
    """Held-out predictions for every seed paragraph: doc, para, label, pred, confidence."""
    parts = []
    for doc in seed_docs(corpus):
        test = corpus[(corpus["source"] == "seed") & (corpus["doc"] == doc)]
        pipeline = fit_pipeline(_train_rows(corpus, doc, use_authored), config)
        proba = pipeline.predict_proba(as_frame(test))
        classes = np.asarray(pipeline.classes_)
        parts.append(pd.DataFrame({"doc": doc, "para": test["para"].to_numpy(),
                                   "label": test["label"].to_numpy(),
                                   "pred": classes[proba.argmax(axis=1)],
                                   "confidence": proba.max(axis=1)}))
    return pd.concat(parts, ignore_index=True)


def loro_baselines(corpus: pd.DataFrame, use_authored: bool = True) -> dict[str, dict]:
    """Scores of the baselines on the same folds as the model."""
    results = {}
    for name, tagger in baseline_taggers().items():
        truth, preds = [], []
        for doc in seed_docs(corpus):
            test = corpus[(corpus["source"] == "seed") & (corpus["doc"] == doc)]
            preds += fit_predict(tagger, _train_rows(corpus, doc, use_authored), test)
            truth += test["label"].tolist()
        results[name] = score(truth, preds)
    return results


@dataclass
class Evaluation:
    """Everything the report, metrics.json and the model card show."""

    config: ModelConfig
    use_authored: bool
    scores: dict
    baselines: dict
    predictions: pd.DataFrame
    review_threshold: float
    review: dict = field(default_factory=dict)
    top_terms: dict = field(default_factory=dict)
    n_seed: int = 0
    n_authored: int = 0

    def metrics(self) -> dict:
        """The metrics.json content."""
        return {"loro": {k: v for k, v in self.scores.items()},
                "baselines": self.baselines,
                "review": self.review,
                "config": self.config.to_dict(), "use_authored": self.use_authored,
                "n_seed_paragraphs": self.n_seed, "n_authored_paragraphs": self.n_authored}


def review_stats(predictions: pd.DataFrame, threshold: float) -> dict:
    """Accuracy of paragraphs above and below the review threshold."""
    low = predictions["confidence"] < threshold
    correct = predictions["label"] == predictions["pred"]
    return {"threshold": threshold, "share_flagged": round(float(low.mean()), 4),
            "accuracy_flagged": round(float(correct[low].mean()), 4) if low.any() else None,
            "accuracy_unflagged": round(float(correct[~low].mean()), 4) if (~low).any() else None}


def evaluate_corpus(corpus: pd.DataFrame, config: ModelConfig = ModelConfig(),
                    use_authored: bool = True, model=None) -> Evaluation:
    """Leave-one-report-out scores of ``config`` and of the baselines on the seeds.

    ``model`` (a LawgovModel trained on everything) supplies the top terms per label.
    """
    from lawgov_cls.tag import REVIEW_THRESHOLD

    predictions = loro_predictions(corpus, config, use_authored)
    return Evaluation(
        config=config, use_authored=use_authored,
        scores=score(predictions["label"], predictions["pred"]),
        baselines=loro_baselines(corpus, use_authored), predictions=predictions,
        review_threshold=REVIEW_THRESHOLD, review=review_stats(predictions, REVIEW_THRESHOLD),
        top_terms=model.top_terms(12) if model is not None else {},
        n_seed=int((corpus["source"] == "seed").sum()),
        n_authored=int((corpus["source"] == "authored").sum()))


# --- variants (the quality benchmark) --------------------------------------------------

#: Feature/classifier variants compared side by side, like the 20-newsgroups benchmark.
VARIANTS: dict[str, tuple[ModelConfig, bool]] = {
    "default": (ModelConfig(), True),
    "words only": (ModelConfig(chars=False), True),
    "chars only": (ModelConfig(words=False), True),
    "default, seeds only (no authored)": (ModelConfig(), False),
    "default, LinearSVC (calibrated)": (ModelConfig(classifier="svm"), True),
    "default, SGD log-loss": (ModelConfig(classifier="sgd"), True),
    "default, ComplementNB": (ModelConfig(classifier="cnb"), True),
    "default, no class weights": (ModelConfig(class_weight=None), True),
    "default, C=1": (ModelConfig(C=1.0), True),
}


def compare_variants(corpus: pd.DataFrame, names: list[str] | None = None) -> pd.DataFrame:
    """One row per variant and baseline: macro-F1 (7 and 6 labels), accuracy."""
    rows = []
    for name in names or list(VARIANTS):
        config, use_authored = VARIANTS[name]
        pred = loro_predictions(corpus, config, use_authored)
        s = score(pred["label"], pred["pred"])
        rows.append({"variant": name, "macro_f1": s["macro_f1"],
                     "macro_f1_tasks": s["macro_f1_tasks"], "accuracy": s["accuracy"]})
    for name, s in loro_baselines(corpus).items():
        rows.append({"variant": f"baseline: {name}", "macro_f1": s["macro_f1"],
                     "macro_f1_tasks": s["macro_f1_tasks"], "accuracy": s["accuracy"]})
    return pd.DataFrame(rows)


# --- rendering --------------------------------------------------------------------------


def markdown_table(frame: pd.DataFrame, index: bool = False) -> str:
    """A GitHub markdown table (no extra dependency)."""
    frame = frame.reset_index() if index else frame
    head = "| " + " | ".join(str(c) for c in frame.columns) + " |"
    sep = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = ["| " + " | ".join(_fmt(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([head, sep, *body])


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def per_class_table(scores: dict) -> pd.DataFrame:
    rows = [{"label": l, **scores["per_class"][l]} for l in LABELS]
    return pd.DataFrame(rows)


def confusion_table(scores: dict) -> pd.DataFrame:
    frame = pd.DataFrame(scores["confusion"], index=[f"true {l}" for l in LABELS],
                         columns=[f"→{l}" for l in LABELS])
    frame.index.name = "true \\ predicted"
    return frame


def summary_table(evaluation: Evaluation) -> pd.DataFrame:
    rows = [{"tagger": "lawgov_cls model", **_summary(evaluation.scores)}]
    rows += [{"tagger": f"baseline: {n}", **_summary(s)} for n, s in evaluation.baselines.items()]
    return pd.DataFrame(rows)


def _summary(s: dict) -> dict:
    return {"macro_f1_tasks": s["macro_f1_tasks"], "macro_f1": s["macro_f1"],
            "accuracy": s["accuracy"]}


def format_report(evaluation: Evaluation) -> str:
    """The evaluation report as markdown text (printed by `lawgov-cls evaluate`)."""
    e = evaluation
    parts = [
        f"Leave-one-report-out over {e.n_seed} seed paragraphs in "
        f"{e.predictions['doc'].nunique()} reports"
        + (f"; {e.n_authored} authored paragraphs added to every training fold, never scored."
           if e.use_authored else "; authored paragraphs not used."),
        "", "Model against baselines (same folds):", "", markdown_table(summary_table(e)),
        "", "Per class (model):", "", markdown_table(per_class_table(e.scores)),
        "", "Confusion matrix (model; rows true, columns predicted):", "",
        markdown_table(confusion_table(e.scores), index=True),
        "", f"Review flag (confidence < {e.review_threshold}): {e.review.get('share_flagged', 0):.1%} "
            f"of paragraphs flagged; accuracy {_pct(e.review.get('accuracy_flagged'))} flagged vs "
            f"{_pct(e.review.get('accuracy_unflagged'))} unflagged.",
    ]
    if e.top_terms:
        parts += ["", "Top-weighted terms per label (model trained on all data):", ""]
        parts += [f"- {label}: {', '.join(terms)}" for label, terms in e.top_terms.items()]
    return "\n".join(parts)


def _pct(value) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def write_metrics(evaluation: Evaluation, path: str | Path) -> Path:
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(evaluation.metrics(), ensure_ascii=False, indent=2) + "\n",
                       encoding="utf-8")
    return Path(path)


def write_model_card(evaluation: Evaluation, metadata: dict, path: str | Path) -> Path:
    """MODEL_CARD.md, generated from the evaluation and the model's metadata."""
    versions = ", ".join(f"{k} {v}" for k, v in metadata.get("versions", {}).items())
    text = f"""# Model card: lawgov_cls paragraph tagger

*Generated by `lawgov-cls train` on {metadata.get('trained_at')}; do not edit by hand.*

## Intended use
Tags each paragraph of a Chinese 法治政府建设 report (annual reports, 实施方案, 工作要点,
述法报告, department and township reports) with the 《法治政府建设实施纲要》 task it serves:
{", ".join(LABELS)}. It is meant to speed up, not replace, an analyst's coding: check the
paragraphs marked `review`, and read coverage figures as estimates. It is not meant for
texts of other kinds (news, laws, court decisions) or for judging the quality of the work
a report describes.

## Model
TF-IDF features ({_features(evaluation.config)}) and a {evaluation.config.classifier}
classifier (C={evaluation.config.C}, class_weight={evaluation.config.class_weight}), one
scikit-learn Pipeline. Library versions: {versions}.
Training data: `data/paragraphs.csv` (sha256 `{metadata.get('data_sha256', '')[:16]}…`),
{metadata.get('n_train')} paragraphs by source: {metadata.get('n_train_by_source')}.

## Evaluation
{format_report(evaluation)}

## Limitations
- Five real reports are the only test data: figures have wide uncertainty, and reports of
  other genres, regions and years will score differently.
- Authored training examples were written by the project team in the register of real
  reports; they widen vocabulary but cannot show every local phrasing.
- One label per paragraph: a paragraph covering several tasks gets its main one, so
  coverage undercounts secondary tasks.
- Page furniture is found by rules; unusual site templates may leak a line or two.
"""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def _features(config: ModelConfig) -> str:
    parts = []
    if config.words:
        parts.append("jieba word uni- and bigrams")
    if config.chars:
        parts.append(f"character {config.char_ngrams[0]}–{config.char_ngrams[1]}-grams")
    return ", ".join(parts)


# --- the train command ------------------------------------------------------------------


def train_and_save(data_path: str | Path, models_dir: str | Path,
                   config: ModelConfig = ModelConfig(), use_authored: bool = True):
    """Train on all of ``data_path``, evaluate by leave-one-report-out, write the bundle.

    Writes ``lawgov_cls.skops``, ``metrics.json`` and ``MODEL_CARD.md`` into ``models_dir``
    and returns (model, evaluation).
    """
    from lawgov_cls.corpus import file_sha256, load_corpus
    from lawgov_cls.model import train_model
    from lawgov_cls.resources import MODEL_FILENAME

    corpus = load_corpus(data_path)
    train_rows = corpus if use_authored else corpus[corpus["source"] == "seed"]
    model = train_model(train_rows, config, data_sha256=file_sha256(data_path))
    evaluation = evaluate_corpus(corpus, config, use_authored, model=model)
    model.metadata["metrics"] = {k: evaluation.scores[k]
                                 for k in ("macro_f1", "macro_f1_tasks", "accuracy", "per_class")}
    models_dir = Path(models_dir)
    model.save(models_dir / MODEL_FILENAME)
    write_metrics(evaluation, models_dir / "metrics.json")
    write_model_card(evaluation, model.metadata, models_dir / "MODEL_CARD.md")
    return model, evaluation
