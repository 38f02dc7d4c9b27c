"""Leave-one-report-out evaluation, baselines and coverage statistics."""

from __future__ import annotations

import pandas as pd
import pytest

from lawgov_cls.baselines import KeywordTagger, MajorityTagger
from lawgov_cls.coverage import is_covered, report_coverage, summarize_coverage
from lawgov_cls.evaluate import _train_rows, loro_predictions, score, seed_docs
from lawgov_cls.labels import LABELS, TASK_LABELS


def test_folds_never_train_on_the_held_out_report_and_never_score_authored(small_corpus):
    for doc in seed_docs(small_corpus):
        train = _train_rows(small_corpus, doc, use_authored=True)
        assert doc not in set(train["doc"])
        assert (train["source"] == "authored").any()
        assert set(_train_rows(small_corpus, doc, use_authored=False)["source"]) == {"seed"}
    predictions = loro_predictions(small_corpus)
    seeds = small_corpus[small_corpus["source"] == "seed"]
    assert len(predictions) == len(seeds)
    assert set(predictions["doc"]) == set(seeds["doc"])


def test_score_reports_every_class_and_both_macro_averages():
    truth = ["职能", "决策", "其他", "其他"]
    s = score(truth, truth)
    assert s["per_class"]["职能"]["f1"] == 1.0 and s["per_class"]["执法"]["support"] == 0
    assert s["accuracy"] == 1.0
    assert list(s["per_class"]) == list(LABELS)
    assert len(s["confusion"]) == len(LABELS)
    wrong = score(truth, ["决策", "职能", "其他", "其他"])
    assert wrong["accuracy"] == 0.5 and wrong["per_class"]["职能"]["f1"] == 0.0


def test_keyword_baseline_follows_codebook_terms():
    tagger = KeywordTagger().fit()
    assert tagger.predict(["办理行政复议案件", "推行证照分离改革", "今天天气很好"]) == [
        "化解纠纷", "职能", "其他"]


def test_majority_baseline():
    assert MajorityTagger().fit(["a", "b", "c"], ["其他", "职能", "其他"]).predict(["x", "y"]) == [
        "其他", "其他"]


def _tagged(doc, rows):
    return pd.DataFrame([{"doc": doc, "text": t, "label": l, "furniture": f} for t, l, f in rows])


def test_coverage_counts_shares_and_missing_labels():
    a = _tagged("a.txt", [("放管服改革" * 3, "职能", False), ("行政复议", "化解纠纷", False),
                          ("来源:司法局", "其他", True)])
    b = _tagged("b.txt", [("执法三项制度", "执法", False)])
    row = report_coverage(a)
    assert row["paragraphs"] == 2 and row["chars"] == 19
    assert row["n_职能"] == 1 and abs(row["share_职能"] - 15 / 19) < 1e-3
    assert row["missing"] == "决策;执法;监督;能力" and row["thin"] == ""
    cov = summarize_coverage([row, report_coverage(b)])
    assert cov.reports["doc"].tolist() == ["a.txt", "b.txt"]  # no batch row among the reports
    batch = cov.batch.iloc[0]
    assert batch["reports"] == 2 and batch["paragraphs"] == 3
    assert batch["reports_missing_a_task"] == 2
    by_label = cov.by_label.set_index("label")
    assert list(by_label.index) == list(TASK_LABELS)
    assert by_label.loc["执法", "reports_covering"] == 1 and by_label.loc["决策", "reports_missing"] == 2
    assert cov.missing_by_report() == [("a.txt", ["决策", "执法", "监督", "能力"]),
                                       ("b.txt", ["职能", "决策", "监督", "化解纠纷", "能力"])]


def test_grouped_folds_are_whole_documents_and_never_empty(corpus):
    from lawgov_cls.evaluate import authored_folds

    folds = authored_folds(corpus)
    docs = [d for fold in folds for d in fold]
    assert len(docs) == len(set(docs)) == corpus.loc[corpus["source"] == "authored", "doc"].nunique()
    few = corpus[corpus["doc"].isin(docs[:3])]
    assert [len(f) for f in authored_folds(few)] == [1, 1, 1]


@pytest.mark.parametrize("n, share, min_paragraphs, min_share, covered", [
    (1, 0.019, 1, 0.02, False),   # one stray short paragraph: not covered
    (1, 0.02, 1, 0.02, True),
    (2, 0.30, 3, 0.02, False),    # enough text, too few paragraphs
    (3, 0.30, 3, 0.02, True),
    (0, 0.0, 1, 0.0, False),      # no paragraph is never covered, whatever the share
])
def test_coverage_rule_needs_both_paragraphs_and_share(n, share, min_paragraphs, min_share,
                                                       covered):
    assert is_covered(n, share, min_paragraphs, min_share) is covered


def test_a_stray_paragraph_is_thin_not_covered():
    long = ("推进放管服改革,优化营商环境,深化审批制度改革。" * 10, "职能", False)
    stray = ("行政复议。", "化解纠纷", False)
    row = report_coverage(_tagged("a.txt", [long, long, stray]))
    assert "化解纠纷" in row["missing"].split(";") and row["thin"] == "化解纠纷"
    assert row["n_化解纠纷"] == 1  # the count stays, so that analysts can apply their own rule
    loose = report_coverage(_tagged("a.txt", [long, long, stray]), min_share=0.0)
    assert "化解纠纷" not in loose["missing"]


def test_dev_ablation_scores_each_variant_on_the_dev_documents(small_corpus):
    # Two authored documents stand in for the dev set; they are left out of training.
    from lawgov_cls.evaluate import dev_ablation

    docs = small_corpus.loc[small_corpus["source"] == "authored", "doc"].unique()[:2]
    dev = small_corpus[small_corpus["doc"].isin(docs)]
    train = small_corpus[~small_corpus["doc"].isin(docs)]
    genres = {docs[0]: "年度报告", docs[1]: "行政执法报告"}
    table = dev_ablation(train, dev, genres, ["default", "no document context"])
    assert table["variant"].tolist() == ["default", "no document context"]
    assert {"annual reports (macro_f1_present)", "single-topic (macro_f1_present)"} <= set(table)
    assert table["dev_macro_f1_tasks"].between(0, 1).all()
