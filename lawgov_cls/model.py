"""The classifier: a scikit-learn Pipeline of TF-IDF features and a linear model.

``build_pipeline`` makes an unfitted pipeline from a ``ModelConfig``; ``train_model``
fits it on the labelled corpus and wraps it, with its metadata, in a ``LawgovModel``;
``LawgovModel.save`` / ``load_model`` persist it with skops, the scikit-learn project's
format that runs no code when loaded, and check the metadata.
"""

from __future__ import annotations

import datetime as _dt
import os
import platform
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

from lawgov_cls.features import TextFeatures
from lawgov_cls.labels import LABELS, OTHER
from lawgov_cls.resources import bundled_model_path

#: Marks a model file as ours; bump when the saved layout changes.
MODEL_FORMAT = "lawgov_cls-model/2"
RANDOM_STATE = 0
#: The types a skops model file may contain beyond those skops trusts itself (public
#: scikit-learn estimators, numpy, scipy): the project's own, and the two private parts of a
#: calibrated LinearSVC (classifier "svm"), which hold only fitted arrays.
TRUSTED_TYPES = ["lawgov_cls.features.TextFeatures", "sklearn.calibration._CalibratedClassifier",
                 "sklearn.calibration._SigmoidCalibration"]
#: The scikit-learn estimators a model file can hold: every classifier ``_classifier`` builds,
#: the Pipeline, and the TF-IDF weights inside TextFeatures.
ESTIMATORS = (Pipeline, LogisticRegression, LinearSVC, CalibratedClassifierCV, SGDClassifier,
              ComplementNB, TfidfTransformer)


class ModelError(Exception):
    """A model file that cannot be used (missing, not a lawgov_cls model, untrusted)."""


class ModelVersionWarning(UserWarning):
    """The model was saved with other library versions than the ones installed."""


@dataclass(frozen=True)
class ModelConfig:
    """What the pipeline is made of. Defaults are the variant chosen by leave-one-report-out."""

    words: bool = True  # TF-IDF over word tokens (unigrams and bigrams)
    chars: bool = True  # TF-IDF over character n-grams
    char_ngrams: tuple[int, int] = (2, 3)
    classifier: str = "logreg"  # logreg | svm (calibrated LinearSVC) | sgd | cnb
    C: float = 10.0  # inverse regularisation strength of logreg/svm
    class_weight: str | None = "balanced"  # reweight rare labels rather than resample
    min_df: int = 1
    context: tuple[str, ...] = ("pair",)  # kinds of document-context token used (context.py)
    context_weight: float = 1.0  # value of a context indicator beside the unit-norm TF-IDF blocks
    # Shapes whose context tokens are left out: the header-row shape was tried before the
    # tenth dev read and not taken (it cost 0.010 on the seeds for 0.001 in CV; README).
    context_exclude: tuple[str, ...] = ("header",)
    domain_words: str = "topic"  # "" | single | topic: words copied per single-topic genre's task
    off_topic_weight: float = 1.0  # sample weight of task paragraphs off a single-topic document's topic

    def to_dict(self) -> dict:
        return asdict(self)


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
    """An unfitted Pipeline taking a list of texts (or a DataFrame with a ``text`` column)."""
    features = TextFeatures(words=config.words, chars=config.chars,
                            char_ngrams=tuple(config.char_ngrams), min_df=config.min_df,
                            context=tuple(config.context), context_weight=config.context_weight,
                            context_exclude=tuple(config.context_exclude),
                            domain_words=config.domain_words)
    return Pipeline([("features", features), ("classifier", _classifier(config))])


def model_input(rows: pd.DataFrame) -> pd.DataFrame:
    """What the pipeline reads for corpus rows of whole documents: ``text`` and the
    ``context`` tokens of each paragraph's document (see context.py)."""
    from lawgov_cls.context import corpus_contexts

    return pd.DataFrame({"text": rows["text"], "context": corpus_contexts(rows)})


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
        classes = list(pipeline.classes_)
        # Column j of the classifier's output is label _order[j]; labels it never saw get 0.
        self._columns = [(classes.index(l), j) for j, l in enumerate(self.labels) if l in classes]

    # --- prediction ---------------------------------------------------------------

    def predict_proba(self, texts, headings: Sequence[str] | None = None) -> pd.DataFrame:
        """One row per text, one column per label (in LABELS order), rows summing to 1."""
        return self.predict_explained(texts, headings, top=0)[0]

    def predict(self, texts, headings: Sequence[str] | None = None) -> list[str]:
        """One label per text."""
        proba, _ = self.proba_and_evidence(_check_texts(texts), top=0)
        return [self.labels[i] for i in proba.argmax(axis=1)]

    def predict_explained(self, texts, headings: Sequence[str] | None = None, top: int = 5
                          ) -> tuple[pd.DataFrame, list[list[str]]]:
        """Probabilities (a frame, one column per label) and, for each text, the ``top``
        terms behind its predicted label."""
        if isinstance(texts, pd.DataFrame):
            index, texts = texts.index, texts["text"].fillna("").astype(str).tolist()
        else:
            texts = _check_texts(texts)
            index = None
        proba, terms = self.proba_and_evidence(texts, top)
        return pd.DataFrame(proba, columns=list(self.labels), index=index), terms

    @property
    def uses_context(self) -> bool:
        """Whether the model reads document context tokens besides the text."""
        return bool(self.metadata.get("config", {}).get("context"))

    def proba_and_evidence(self, texts: list[str], top: int = 5,
                           contexts: list[str] | None = None
                           ) -> tuple[np.ndarray, list[list[str]]]:
        """The fast path under predict_*: a probability array (LABELS order) and evidence.

        ``contexts``: the context tokens of each text's document (context.py), if known.
        Features are computed once for both.
        """
        if not texts:
            return np.zeros((0, len(self.labels))), []
        features = self.pipeline.named_steps["features"]
        X = features.transform(texts if contexts is None else
                               pd.DataFrame({"text": texts, "context": contexts}))
        raw = self.pipeline.named_steps["classifier"].predict_proba(X)
        proba = np.zeros((len(texts), len(self.labels)))
        for source, target in self._columns:
            proba[:, target] = raw[:, source]
        proba /= proba.sum(axis=1, keepdims=True)
        if top <= 0:
            return proba, [[] for _ in texts]
        predicted = [self.labels[i] for i in proba.argmax(axis=1)]
        return proba, self._evidence(X, predicted, top)

    def evidence(self, texts, labels: Sequence[str], top: int = 5) -> list[list[str]]:
        """For each text, the features that pushed it most towards the given label."""
        X = self.pipeline.named_steps["features"].transform(_check_texts(texts))
        return self._evidence(X, labels, top)

    def _evidence(self, X, labels: Sequence[str], top: int) -> list[list[str]]:
        """A feature's push towards a label is its TF-IDF value times the label's weight
        (empty lists for classifiers without per-feature weights, e.g. calibrated SVMs).

        Whole words read better than character fragments: the ``top`` strongest words,
        then, if fewer, the strongest n-grams that are not part of a word already shown.
        """
        weights = _linear_weights(self.pipeline.named_steps["classifier"])
        if weights is None:
            return [[] for _ in range(X.shape[0])]
        coef, classes = weights
        X = X.tocsr()
        n = X.shape[0]
        rows = np.repeat(np.arange(n), np.diff(X.indptr))
        label_rows = np.array([classes.index(l) for l in labels])
        names, is_char = self.feature_names(), self._char_features()
        char = is_char[X.indices]
        base = self._word_of_column()

        def ranked(entries, k):
            """The k strongest positive pushes per text among ``entries`` (a mask)."""
            r, f = rows[entries], X.indices[entries]
            contrib = X.data[entries] * coef[label_rows[r], f]
            if base is not None:  # a word's domain copy pushes as the word itself
                summed = sp.csr_matrix((contrib, (r, base[f])), shape=X.shape)  # sums repeats
                r = np.repeat(np.arange(n), np.diff(summed.indptr))
                f, contrib = summed.indices, summed.data
            keep = contrib > 0
            r, f, contrib = r[keep], f[keep], contrib[keep]
            order = np.lexsort((-contrib, r))  # by text, strongest push first
            return _first_per_row(r[order], f[order], n, k)

        # Up to `top` words per text; character n-grams (most of the nonzeros, so the
        # costly part) only for the texts with fewer words than that, a few more than
        # could ever be shown.
        words, word_starts = ranked(~char, top)
        short = np.diff(word_starts) < top
        chars, char_starts = ranked(char & short[rows], 4 * top)
        result = []
        for i in range(n):
            terms = [names[j] for j in words[word_starts[i]:word_starts[i + 1]]]
            if len(terms) < top:
                shown = [t.replace(" ", "") for t in terms]
                for j in chars[char_starts[i]:char_starts[i + 1]]:
                    if not any(names[j] in t for t in shown):
                        terms.append(names[j])
                        if len(terms) == top:
                            break
            result.append(terms)
        return result

    def feature_names(self) -> list[str]:
        """Readable feature names: words (bigrams space-joined) and character n-grams."""
        if not hasattr(self, "_feature_names"):
            features = self.pipeline.named_steps["features"]
            # The terms of each block, in column order (get_feature_names_out without the
            # block prefixes, at a tenth of the cost: this runs on the first tagged report).
            self._feature_names = features.column_terms()
            self._is_char = features.block_mask("chars")
        return self._feature_names

    def _word_of_column(self) -> np.ndarray | None:
        """Column → the word column it copies (itself if not a domain copy); None when the
        model has no domain block (features.TextFeatures, domain_words)."""
        if not hasattr(self, "_base"):
            features = self.pipeline.named_steps["features"]
            self._base = None
            if getattr(features, "domain_words", ""):
                self._base = np.arange(len(self.feature_names()))
                self._base[features.block_mask("domain")] = features.domain_copies()
        return self._base

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
        """Write the model as a skops file, atomically (temp file, then rename)."""
        import zipfile

        from lawgov_cls.output import atomic_path

        sio = skops_io()

        with atomic_path(path) as tmp:
            sio.dump({"format": MODEL_FORMAT, "metadata": self.metadata,
                      "pipeline": self.pipeline}, tmp, compression=zipfile.ZIP_DEFLATED)
        return Path(path)

    def __repr__(self) -> str:
        meta = self.metadata
        return (f"LawgovModel(labels={len(self.labels)}, trained={meta.get('trained_at')}, "
                f"data_sha256={str(meta.get('data_sha256'))[:12]})")


def _first_per_row(rows: np.ndarray, values: np.ndarray, n_rows: int, k: int
                   ) -> tuple[list, np.ndarray]:
    """The first ``k`` values of each row (rows sorted), as a flat list and row offsets."""
    starts = np.searchsorted(rows, np.arange(n_rows + 1))
    rank = np.arange(len(rows)) - starts[rows]
    keep = rank < k
    rows, values = rows[keep], values[keep]
    return values.tolist(), np.searchsorted(rows, np.arange(n_rows + 1))


def _check_texts(texts) -> list[str]:
    """The texts as a list of str; TypeError for a bare string or non-string items."""
    if isinstance(texts, str):
        raise TypeError("predict takes a list of texts, not a single string")
    if isinstance(texts, pd.DataFrame):
        return texts["text"].fillna("").astype(str).tolist()
    texts = list(texts)
    for i, text in enumerate(texts):
        # str(None) would be tagged as the text "None"; say what is wrong instead.
        if not isinstance(text, str):
            raise TypeError(f"predict takes texts (str); item {i} is {type(text).__name__}: "
                            f"{text!r:.40}")
    return texts


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
    import importlib.metadata as md

    import sklearn

    return {"python": platform.python_version(), "scikit-learn": sklearn.__version__,
            "rjieba": md.version("rjieba"), "numpy": np.__version__, "pandas": pd.__version__}


def fit_pipeline(frame: pd.DataFrame, config: ModelConfig = ModelConfig()) -> Pipeline:
    """Fit a pipeline on corpus rows (columns doc, para, text, label; whole documents)."""
    pipeline = build_pipeline(config)
    X, y = model_input(frame), frame["label"].to_numpy()
    if config.off_topic_weight == 1.0:
        pipeline.fit(X, y)
        return pipeline
    from lawgov_cls.context import prior_topic

    topic = np.array([prior_topic(c) for c in X["context"]], dtype=object)
    off = (topic != None) & (y != topic) & (y != OTHER)  # noqa: E711 (elementwise)
    pipeline.fit(X, y, classifier__sample_weight=np.where(off, config.off_topic_weight, 1.0))
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

    A skops file (the bundled model's format, and what ``lawgov-cls train`` writes) runs
    no code when loaded: only scikit-learn, numpy and scipy types and the project's own
    ``TRUSTED_TYPES`` are accepted. Any other file (joblib, pickle) runs code from the file
    when loaded and is refused unless ``trusted=True`` (CLI: ``--trust-model``).
    """
    path = Path(path) if path is not None else bundled_model_path()
    if not path.exists():
        hint = " (train one with `lawgov-cls train`)" if path == bundled_model_path() else ""
        raise ModelError(f"{path}: model file not found{hint}")
    if _is_skops(path):
        obj = _load_skops(path)
    elif trusted:
        obj = _load_pickle(path)
    else:
        raise ModelError(f"{path}: not a skops file; loading a joblib/pickle file executes code "
                         "from it; pass trusted=True (CLI: --trust-model) if you trust its origin")
    if (not isinstance(obj, dict) or obj.get("format") != MODEL_FORMAT
            or not isinstance(obj.get("metadata"), dict) or "pipeline" not in obj):
        raise ModelError(f"{path}: not a lawgov_cls model (expected format {MODEL_FORMAT})")
    metadata = obj["metadata"]
    if tuple(metadata.get("labels", ())) != LABELS:
        raise ModelError(f"{path}: model labels {metadata.get('labels')} differ from {list(LABELS)}")
    saved = metadata.get("versions", {}).get("scikit-learn")
    import sklearn

    if saved != sklearn.__version__:
        warnings.warn(f"{path}: model was saved with scikit-learn {saved}, this is "
                      f"{sklearn.__version__}; predictions may differ. Retrain with "
                      "`lawgov-cls train`.", ModelVersionWarning, stacklevel=2)
    return LawgovModel(obj["pipeline"], metadata)


def _is_skops(path: Path) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            return "schema.json" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def skops_io():
    """``skops.io``, imported without its scan of all of scikit-learn (0.4 s of a cold start).

    When first imported, skops makes its default trusted-type list from scikit-learn's
    ``all_estimators()``, which imports every scikit-learn sub-package. While it is imported
    here, that function lists only ``ESTIMATORS``, which is all a lawgov_cls model holds, so
    in this process skops trusts fewer scikit-learn types by default, never more. If skops was
    imported before (by other code in the process), it is used as it is.
    """
    import sys

    if "skops.io" in sys.modules:
        return sys.modules["skops.io"]
    import sklearn.utils

    every = sklearn.utils.all_estimators
    sklearn.utils.all_estimators = lambda type_filter=None: [(e.__name__, e) for e in ESTIMATORS]
    try:
        import skops.io
    finally:
        sklearn.utils.all_estimators = every
    return skops.io


def _load_skops(path: Path):
    sio = skops_io()
    try:
        untrusted = [t for t in sio.get_untrusted_types(file=path) if t not in TRUSTED_TYPES]
        if untrusted:
            raise ModelError(f"{path}: refused: the file holds types that are not trusted "
                             f"({', '.join(untrusted[:5])})")
        with warnings.catch_warnings():
            # sklearn's own version warning is replaced by ModelVersionWarning below.
            warnings.simplefilter("ignore", category=UserWarning)
            return sio.load(path, trusted=TRUSTED_TYPES)
    except ModelError:
        raise
    except Exception as exc:  # a corrupt or foreign zip fails in many ways
        raise ModelError(f"{path}: not a lawgov_cls model ({type(exc).__name__})") from None


def _load_pickle(path: Path):
    import joblib

    try:
        return joblib.load(path)
    except Exception as exc:  # a corrupt or foreign file fails in many ways
        raise ModelError(f"{path}: not a lawgov_cls model ({type(exc).__name__})") from None
