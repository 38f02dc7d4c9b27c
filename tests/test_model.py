"""The model: API contract, persistence with metadata, determinism, freshness."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from lawgov_cls import LABELS, LawgovModel, ModelError, ModelVersionWarning, load_model, train_model
from lawgov_cls.corpus import DEFAULT_CORPUS, file_sha256
from lawgov_cls.model import MODEL_FORMAT

TEXTS = ["全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度。",
         "办理行政复议案件36件,行政机关负责人出庭应诉率100%。",
         "来源:县司法局 发布时间:2023-01-05"]


def test_label_set_is_in_order():
    assert LABELS == ("职能", "决策", "执法", "监督", "化解纠纷", "能力", "其他")


def test_predict_gives_one_label_per_text(model):
    labels = model.predict(TEXTS)
    assert len(labels) == len(TEXTS) and set(labels) <= set(LABELS)
    assert labels[0] == "执法" and labels[1] == "化解纠纷"


def test_predict_proba_has_a_column_per_label_and_rows_summing_to_one(model):
    proba = model.predict_proba(TEXTS)
    assert list(proba.columns) == list(LABELS) and len(proba) == len(TEXTS)
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert model.predict(TEXTS) == list(proba.idxmax(axis=1))


def test_predict_rejects_a_bare_string(model):
    with pytest.raises(TypeError):
        model.predict("一段文字")


def test_tag_file_gives_one_row_per_paragraph(model, seed_path):
    from lawgov_cls import read_report, split_paragraphs

    table = model.tag_file(seed_path)
    assert len(table) == len(split_paragraphs(read_report(seed_path)))
    assert table["label"].isin(LABELS).all()
    assert (table.loc[table["furniture"], "label"] == "其他").all()
    body = table[~table["furniture"]]
    assert (body["evidence"].str.len() > 0).mean() > 0.8


def test_tag_text_matches_tag_file(model, seed_path):
    text = seed_path.read_text(encoding="utf-8")
    a = model.tag_text(text, doc=seed_path.name)
    b = model.tag_file(seed_path)
    assert a.equals(b)


def test_save_load_round_trip_without_trust(small_model, tmp_path):
    path = small_model.save(tmp_path / "m.skops")
    loaded = load_model(path)  # a skops file runs no code: no trust needed
    assert loaded.metadata == small_model.metadata
    assert np.array_equal(loaded.predict_proba(TEXTS).to_numpy(),
                          small_model.predict_proba(TEXTS).to_numpy())
    assert loaded.evidence(TEXTS, loaded.predict(TEXTS)) == small_model.evidence(
        TEXTS, small_model.predict(TEXTS))


def _pickle_model(model, path, **meta):
    import joblib

    joblib.dump({"format": MODEL_FORMAT, "metadata": dict(model.metadata, **meta),
                 "pipeline": model.pipeline}, path)
    return path


def test_a_pickle_is_refused_unless_trusted(small_model, tmp_path):
    path = _pickle_model(small_model, tmp_path / "m.joblib")
    with pytest.raises(ModelError, match="executes code"):
        load_model(path)
    assert load_model(path, trusted=True).predict(TEXTS) == small_model.predict(TEXTS)


class Stranger:
    """A type no model file should contain."""


def test_a_skops_file_with_untrusted_types_is_refused(tmp_path):
    import zipfile

    import skops.io as sio

    path = tmp_path / "odd.skops"
    sio.dump({"format": MODEL_FORMAT, "metadata": {}, "pipeline": Stranger()}, path,
             compression=zipfile.ZIP_DEFLATED)
    with pytest.raises(ModelError, match="not trusted"):
        load_model(path)
    with pytest.raises(ModelError, match="not trusted"):
        load_model(path, trusted=True)  # trust is for pickles; skops types are never widened


def test_a_file_that_is_not_a_model_fails_clearly(tmp_path):
    import joblib
    import skops.io as sio

    joblib.dump({"something": "else"}, tmp_path / "other.joblib")
    sio.dump({"something": "else"}, tmp_path / "other.skops")
    (tmp_path / "text.joblib").write_text("not a pickle")
    for name in ("other.joblib", "text.joblib", "other.skops"):
        with pytest.raises(ModelError, match="not a lawgov_cls model"):
            load_model(tmp_path / name, trusted=True)
    with pytest.raises(ModelError, match="not found"):
        load_model(tmp_path / "missing.skops")


def test_a_model_from_another_sklearn_version_warns(small_model, tmp_path):
    meta = dict(small_model.metadata, versions={**small_model.metadata["versions"],
                                                "scikit-learn": "0.0.1"})
    path = LawgovModel(small_model.pipeline, meta).save(tmp_path / "old.skops")
    with pytest.warns(ModelVersionWarning, match="scikit-learn 0.0.1"):
        load_model(path)


def test_a_model_with_other_labels_is_refused(small_model, tmp_path):
    meta = dict(small_model.metadata, labels=["a", "b"])
    path = LawgovModel(small_model.pipeline, dict(small_model.metadata)).save(tmp_path / "x.skops")
    _pickle_model(small_model, tmp_path / "y.joblib", labels=["a", "b"])
    assert load_model(path).labels == LABELS
    with pytest.raises(ModelError, match="labels"):
        load_model(tmp_path / "y.joblib", trusted=True)


def test_same_data_gives_the_same_model(small_corpus):
    a = train_model(small_corpus).predict_proba(TEXTS).to_numpy()
    b = train_model(small_corpus).predict_proba(TEXTS).to_numpy()
    assert np.array_equal(a, b)


def test_bundled_model_was_trained_on_the_current_corpus(model):
    assert model.metadata["data_sha256"] == file_sha256(DEFAULT_CORPUS), (
        "data/paragraphs.csv changed since the bundled model was trained: run `lawgov-cls train`")


def test_bundled_model_carries_its_metadata(model):
    meta = model.metadata
    assert meta["labels"] == list(LABELS)
    assert {"python", "scikit-learn", "rjieba"} <= set(meta["versions"])
    assert 0 < meta["metrics"]["loro"]["macro_f1_tasks"] <= 1
    assert 0 < meta["metrics"]["dev"]["macro_f1_tasks"] <= 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_model()  # the bundled model matches the installed scikit-learn


def test_evidence_terms_come_from_the_text(model):
    text = "深化放管服改革,推行证照分离和一网通办。"
    [terms] = model.evidence([text], model.predict([text]))
    assert terms and all(t.replace(" ", "") in text.replace(" ", "") for t in terms if t != "<num>")


def _fresh_python(code: str) -> str:
    """Run ``code`` in a new interpreter (skops not yet imported) and return its stdout."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_skops_is_imported_trusting_no_type_it_would_not_trust_anyway():
    import json

    out = json.loads(_fresh_python(
        "import json, sklearn.utils\n"
        "from lawgov_cls.model import ESTIMATORS, skops_io\n"
        "skops_io()\n"
        "from skops.io._trusted_types import SKLEARN_ESTIMATOR_TYPE_NAMES as narrow\n"
        "from skops.io._utils import get_type_name\n"
        "every = [get_type_name(e) for _, e in sklearn.utils.all_estimators()]\n"
        "print(json.dumps({'narrow': narrow, 'every': every, 'ours': len(ESTIMATORS)}))\n"))
    assert set(out["narrow"]) <= set(out["every"])  # never wider than skops's own list
    assert len(out["narrow"]) == out["ours"]
    assert len(out["every"]) > 100  # sklearn's all_estimators was put back after the import


@pytest.mark.parametrize("classifier", ["logreg", "svm", "sgd", "cnb"])
def test_every_classifier_loads_after_the_narrowed_import_and_others_are_refused(
        classifier, small_corpus, tmp_path):
    from sklearn.pipeline import Pipeline
    from sklearn.tree import DecisionTreeClassifier

    from lawgov_cls.model import ModelConfig

    model = train_model(small_corpus, ModelConfig(classifier=classifier), data_sha256="test")
    ours = model.save(tmp_path / "ours.skops")
    features = model.pipeline.named_steps["features"]
    foreign = Pipeline([("features", features), ("classifier", DecisionTreeClassifier().fit(
        features.transform(small_corpus["text"].tolist()), small_corpus["label"]))])
    other = LawgovModel(foreign, model.metadata).save(tmp_path / "other.skops")
    out = _fresh_python(
        "from lawgov_cls import ModelError, load_model\n"
        f"print(load_model({str(ours)!r}).predict(['行政复议案件36件']))\n"
        f"try:\n    load_model({str(other)!r})\n"
        "except ModelError as exc:\n    print('refused', exc)\n")
    assert "refused" in out and "DecisionTreeClassifier" in out and "not trusted" in out


def test_a_model_with_domain_words_explains_with_plain_words_and_round_trips(small_corpus,
                                                                              tmp_path):
    from lawgov_cls import train_model
    from lawgov_cls.features import char_text, tokenize
    from lawgov_cls.model import ModelConfig, model_input

    model = train_model(small_corpus, ModelConfig(domain_words="topic"))
    rows = model_input(small_corpus)
    single = rows[rows["context"].str.contains("prior:")].head(40)
    assert len(single) == 40
    proba, terms = model.proba_and_evidence(single["text"].tolist(), 5, single["context"].tolist())
    assert all("|" not in t or t.startswith("pair:") for ts in terms for t in ts)
    checked = 0
    for ts, text in zip(terms, single["text"]):  # the text's own words and n-grams, unprefixed
        for term in ts:
            if not term.startswith("pair:"):
                assert set(term.split()) <= set(tokenize(text)) or term in char_text(text), term
                checked += 1
    assert checked > 40
    loaded = load_model(model.save(tmp_path / "domain.skops"))
    again, _ = loaded.proba_and_evidence(single["text"].tolist(), 0, single["context"].tolist())
    assert np.allclose(proba, again)


def test_off_topic_weight_reweights_only_single_topic_documents(corpus):
    from lawgov_cls.model import ModelConfig, fit_pipeline

    def coef(rows, weight):
        return fit_pipeline(rows, ModelConfig(domain_words="", off_topic_weight=weight))[-1].coef_

    # Whole documents: two seeds and four 建议提案 answers, whose 职能 paragraphs are off the
    # genre's topic (监督) and so weigh three times.
    answers = [d for d in corpus.loc[corpus["source"] == "authored", "doc"].unique()
               if "建议" in d][:4]
    seeds = corpus[corpus["source"] == "seed"]
    seeds = seeds[seeds["doc"].isin(seeds["doc"].unique()[:2])]
    rows = pd.concat([seeds, corpus[corpus["doc"].isin(answers)]], ignore_index=True)
    assert (rows["label"] == "职能").any() and len(answers) == 4
    assert not np.allclose(coef(rows, 1.0), coef(rows, 3.0))
    # The seeds are annual reports and a plan: no paragraph is off a topic, nothing changes.
    assert np.allclose(coef(seeds, 1.0), coef(seeds, 3.0))
