"""The classifier: a scikit-learn Pipeline of TF-IDF features and a linear model.

``build_pipeline`` makes an unfitted pipeline from a ``ModelConfig``; ``train_model``
fits it on the labelled corpus and wraps it, with its metadata, in a ``LawgovModel``;
``LawgovModel.save`` / ``load_model`` persist it with joblib and check the metadata.
"""

from __future__ import annotations

import datetime as _dt
import os
import platform
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

from lawgov_cls.features import char_text, tokenize
from lawgov_cls.labels import LABELS
from lawgov_cls.resources import bundled_model_path

#: Marks a joblib file as ours; bump when the saved layout changes.
MODEL_FORMAT = "lawgov_cls-model/1"
RANDOM_STATE = 0


class ModelError(Exception):
    """A model file that cannot be used (missing, not a lawgov_cls model, untrusted)."""


class ModelVersionWarning(UserWarning):
    """The model was saved with other library versions than the ones installed."""


@dataclass(frozen=True)
class ModelConfig:
    """What the pipeline is made of. Defaults are the variant chosen by leave-one-report-out."""

    words: bool = True  # TF-IDF over jieba tokens (unigrams and bigrams)
    chars: bool = True  # TF-IDF over character n-grams
    char_ngrams: tuple[int, int] = (2, 3)
    heading: bool = False  # TF-IDF of the nearest heading's tokens, as separate features
    classifier: str = "logreg"  # logreg | svm (calibrated LinearSVC) | sgd | cnb
    C: float = 10.0  # inverse regularisation strength of logreg/svm
    class_weight: str | None = "balanced"  # reweight rare labels rather than resample
    min_df: int = 1

    def to_dict(self) -> dict:
        return asdict(self)


def _word_vectorizer(config: ModelConfig) -> TfidfVectorizer:
    # token_pattern=None: the tokenizer decides, so one-character tokens survive.
    return TfidfVectorizer(tokenizer=tokenize, token_pattern=None, lowercase=False,
                           ngram_range=(1, 2), sublinear_tf=True, min_df=config.min_df)


def _classifier(config: ModelConfig):
    weight = config.class_weight
    if config.classifier == "logreg":
        return LogisticRegression(C=config.C, class_weight=weight, max_iter=5000,
                                  random_state=RANDOM_STATE)
    if config.classifier == "svm":
        svm = LinearSVC(C=config.C / 10, class_weight=weight, random_state=RANDOM_STATE)
        return CalibratedClassifierCV(svm, cv=3, method="sigmoid")
    if config.classifier == "sgd":
        return SGDClassifier(loss="log_loss", alpha=1e-4, class_weight=weight, max_iter=50,
                             tol=None, random_state=RANDOM_STATE)
    if config.classifier == "cnb":
        return ComplementNB(alpha=0.3)
    raise ValueError(f"unknown classifier {config.classifier!r}")


def build_pipeline(config: ModelConfig = ModelConfig()) -> Pipeline:
    """An unfitted Pipeline taking a DataFrame with columns ``text`` and ``heading``."""
    parts = []
    if config.words:
        parts.append(("words", _word_vectorizer(config), "text"))
    if config.chars:
        parts.append(("chars", TfidfVectorizer(analyzer="char", preprocessor=char_text,
                                               ngram_range=config.char_ngrams, sublinear_tf=True,
                                               min_df=max(2, config.min_df), max_features=100_000),
                      "text"))
    if config.heading:
        parts.append(("heading", _word_vectorizer(config), "heading"))
    if not parts:
        raise ValueError("the model needs at least one feature set")
    features = ColumnTransformer(parts, sparse_threshold=1.0)
    return Pipeline([("features", features), ("classifier", _classifier(config))])


def as_frame(texts: Iterable[str] | pd.DataFrame, headings: Sequence[str] | None = None) -> pd.DataFrame:
    """Model input: a DataFrame with ``text`` and ``heading`` (empty when unknown)."""
    if isinstance(texts, pd.DataFrame):
        frame = texts
        if "heading" not in frame:
            frame = frame.assign(heading="")
        return frame[["text", "heading"]].fillna("").astype(str)
    if isinstance(texts, str):
        raise TypeError("predict takes a list of texts, not a single string")
    texts = list(texts)
    for i, text in enumerate(texts):
        # str(None) would be tagged as the text "None"; say what is wrong instead.
        if not isinstance(text, str):
            raise TypeError(f"predict takes texts (str); item {i} is {type(text).__name__}: {text!r:.40}")
    if headings is None:
        headings = [""] * len(texts)
    return pd.DataFrame({"text": texts, "heading": [h or "" for h in headings]})


class LawgovModel:
    """A fitted pipeline plus its metadata. Obtain one with ``load_model`` or ``train_model``.

    >>> model = load_model()                        # doctest: +SKIP
    >>> model.predict(["推行行政执法三项制度"])       # doctest: +SKIP
    ['执法']
    """

    def __init__(self, pipeline: Pipeline, metadata: dict):
        self.pipeline = pipeline
        self.metadata = metadata
        self.labels: tuple[str, ...] = tuple(metadata["labels"])

    # --- prediction ---------------------------------------------------------------

    def predict_proba(self, texts, headings: Sequence[str] | None = None) -> pd.DataFrame:
        """One row per text, one column per label (in LABELS order), rows summing to 1."""
        return self.predict_explained(texts, headings, top=0)[0]

    def predict(self, texts, headings: Sequence[str] | None = None) -> list[str]:
        """One label per text."""
        proba = self.predict_proba(texts, headings)
        return [self.labels[i] for i in proba.to_numpy().argmax(axis=1)] if len(proba) else []

    def evidence(self, texts, labels: Sequence[str], headings: Sequence[str] | None = None,
                 top: int = 5) -> list[list[str]]:
        """For each text, the features that pushed it most towards the given label."""
        X = self.pipeline.named_steps["features"].transform(as_frame(texts, headings))
        return self._evidence(X, labels, top)

    def predict_explained(self, texts, headings: Sequence[str] | None = None, top: int = 5
                          ) -> tuple[pd.DataFrame, list[list[str]]]:
        """Probabilities and, for each text, the ``top`` terms behind its predicted label.

        Features are computed once for both, which halves tagging time.
        """
        frame = as_frame(texts, headings)
        if frame.empty:
            return pd.DataFrame(columns=list(self.labels), dtype=float), []
        X = self.pipeline.named_steps["features"].transform(frame)
        proba = self.pipeline.named_steps["classifier"].predict_proba(X)
        classes = list(self.pipeline.classes_)
        out = np.zeros((len(frame), len(self.labels)))
        for j, label in enumerate(self.labels):
            if label in classes:
                out[:, j] = proba[:, classes.index(label)]
        out /= out.sum(axis=1, keepdims=True)
        table = pd.DataFrame(out, columns=list(self.labels), index=frame.index)
        if top <= 0:
            return table, [[] for _ in range(len(frame))]
        predicted = [self.labels[i] for i in out.argmax(axis=1)]
        return table, self._evidence(X, predicted, top)

    def _evidence(self, X, labels: Sequence[str], top: int) -> list[list[str]]:
        """A feature's push towards a label is its TF-IDF value times the label's weight
        (empty lists for classifiers without per-feature weights, e.g. calibrated SVMs)."""
        weights = _linear_weights(self.pipeline.named_steps["classifier"])
        if weights is None:
            return [[] for _ in range(X.shape[0])]
        coef, classes = weights
        X = X.tocsr()
        names = self.feature_names()
        is_char = self._char_features()
        result = []
        for i, label in enumerate(labels):
            start, end = X.indptr[i], X.indptr[i + 1]
            indices = X.indices[start:end]
            contrib = X.data[start:end] * coef[classes.index(label), indices]
            ranked = [indices[k] for k in np.argsort(-contrib) if contrib[k] > 0]
            # Whole words read better than character fragments: words first, then
            # n-grams that are not part of a word already shown.
            terms = [names[j] for j in ranked if not is_char[j]][:top]
            for j in ranked:
                if len(terms) >= top:
                    break
                if is_char[j] and not any(names[j] in t.replace(" ", "") for t in terms):
                    terms.append(names[j])
            result.append(list(dict.fromkeys(terms)))
        return result

    def feature_names(self) -> list[str]:
        """Readable feature names: ``word``, ``字符`` n-grams, and ``heading:word``."""
        if not hasattr(self, "_feature_names"):
            names, char = [], []
            for name in self.pipeline.named_steps["features"].get_feature_names_out():
                group, _, term = name.partition("__")
                names.append(f"heading:{term}" if group == "heading" else term)
                char.append(group == "chars")
            self._feature_names, self._is_char = names, np.array(char)
        return self._feature_names

    def _char_features(self) -> np.ndarray:
        """Boolean mask: which features are character n-grams."""
        self.feature_names()
        return self._is_char

    def top_terms(self, n: int = 15) -> dict[str, list[str]]:
        """The n highest-weighted features per label (to spot leakage), if the model is linear."""
        weights = _linear_weights(self.pipeline.named_steps["classifier"])
        if weights is None:
            return {}
        coef, classes = weights
        names = self.feature_names()
        top = {}
        for label in self.labels:
            if label in classes:
                terms: list[str] = []  # a word and the same character n-gram read alike
                for i in np.argsort(-coef[classes.index(label)]):
                    if names[i] not in terms:
                        terms.append(names[i])
                    if len(terms) == n:
                        break
                top[label] = terms
        return top

    # --- tagging (see lawgov_cls.tag) -------------------------------------------------

    def tag_text(self, text: str, doc: str = "<text>") -> pd.DataFrame:
        """Split raw report text into paragraphs and tag each; one row per paragraph."""
        from lawgov_cls.tag import tag_text

        return tag_text(self, text, doc=doc)

    def tag_file(self, path: str | os.PathLike) -> pd.DataFrame:
        """Read, split and tag one report file; one row per paragraph."""
        from lawgov_cls.tag import tag_file

        return tag_file(self, path)

    # --- persistence ----------------------------------------------------------------

    def save(self, path: str | os.PathLike) -> Path:
        """Write the model atomically (temp file, then rename)."""
        import joblib

        from lawgov_cls.output import atomic_path

        with atomic_path(path) as tmp:
            joblib.dump({"format": MODEL_FORMAT, "metadata": self.metadata,
                         "pipeline": self.pipeline}, tmp, compress=3)
        return Path(path)

    def __repr__(self) -> str:
        meta = self.metadata
        return (f"LawgovModel(labels={len(self.labels)}, trained={meta.get('trained_at')}, "
                f"data_sha256={str(meta.get('data_sha256'))[:12]})")


def _linear_weights(classifier):
    """(coef matrix, class list) of a linear classifier, else None."""
    if isinstance(classifier, (LogisticRegression, SGDClassifier)):
        coef = classifier.coef_
        classes = list(classifier.classes_)
        if coef.shape[0] == 1:  # binary: one row for the second class
            coef = np.vstack([-coef[0], coef[0]])
        return coef, classes
    if isinstance(classifier, ComplementNB):
        # ComplementNB predicts the class with the largest feature_log_prob_ dot x.
        return classifier.feature_log_prob_ - classifier.feature_log_prob_.mean(axis=0), list(classifier.classes_)
    return None


def library_versions() -> dict[str, str]:
    import jieba
    import sklearn

    return {"python": platform.python_version(), "scikit-learn": sklearn.__version__,
            "jieba": jieba.__version__, "numpy": np.__version__, "pandas": pd.__version__}


def fit_pipeline(frame: pd.DataFrame, config: ModelConfig = ModelConfig()) -> Pipeline:
    """Fit a pipeline on a corpus frame (columns text, heading, label)."""
    pipeline = build_pipeline(config)
    pipeline.fit(as_frame(frame), frame["label"].to_numpy())
    return pipeline


def train_model(frame: pd.DataFrame, config: ModelConfig = ModelConfig(),
                data_sha256: str = "", metrics: dict | None = None) -> LawgovModel:
    """Fit on every row of ``frame`` and attach metadata."""
    from lawgov_cls import __version__

    pipeline = fit_pipeline(frame, config)
    metadata = {
        "labels": list(LABELS),
        "versions": library_versions(),
        "lawgov_cls": __version__,
        "data_sha256": data_sha256,
        "n_train": int(len(frame)),
        "n_train_by_source": {str(k): int(v) for k, v in frame.get("source", pd.Series(dtype=str))
                              .value_counts().sort_index().items()},
        "trained_at": _dt.date.today().isoformat(),
        "config": config.to_dict(),
        "metrics": metrics or {},
    }
    return LawgovModel(pipeline, metadata)


def load_model(path: str | os.PathLike | None = None, trusted: bool = False) -> LawgovModel:
    """Load the bundled model, or the one at ``path``.

    A joblib file is a pickle: loading it runs code from the file. Only the bundled model
    is trusted by default; any other path needs ``trusted=True``.
    """
    bundled = bundled_model_path()
    path = Path(path) if path is not None else bundled
    if not path.exists():
        hint = " (train one with `lawgov-cls train`)" if path == bundled else ""
        raise ModelError(f"{path}: model file not found{hint}")
    if not trusted and path.resolve() != bundled.resolve():
        raise ModelError(f"{path}: loading a model file executes code from it; pass "
                         "trusted=True (CLI: --trust-model) if you trust its origin")
    import joblib

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            obj = joblib.load(path)
        except Exception as exc:  # a corrupt or foreign file fails in many ways
            raise ModelError(f"{path}: not a lawgov_cls model ({type(exc).__name__})") from None
    if not isinstance(obj, dict) or obj.get("format") != MODEL_FORMAT:
        raise ModelError(f"{path}: not a lawgov_cls model (expected format {MODEL_FORMAT})")
    metadata = obj["metadata"]
    if tuple(metadata.get("labels", ())) != LABELS:
        raise ModelError(f"{path}: model labels {metadata.get('labels')} differ from {list(LABELS)}")
    saved = metadata.get("versions", {}).get("scikit-learn")
    import sklearn

    if saved != sklearn.__version__ or any("Version" in type(w.message).__name__ for w in caught):
        warnings.warn(f"{path}: model was saved with scikit-learn {saved}, this is "
                      f"{sklearn.__version__}; predictions may differ. Retrain with "
                      "`lawgov-cls train`.", ModelVersionWarning, stacklevel=2)
    return LawgovModel(obj["pipeline"], metadata)
