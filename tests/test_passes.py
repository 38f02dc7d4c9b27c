"""data/label_passes.csv: the labelling passes behind every authored and dev label."""

from __future__ import annotations

import pandas as pd
import pytest

from lawgov_cls.corpus import DEFAULT_DEV, CorpusError, load_corpus
from lawgov_cls.labels import LABELS, OTHER
from lawgov_cls.passes import PART_HEADING, agreement_table, apply_part_headings, load_passes

DECIDED = {"agreed", "adjudicated", "project decision"}


@pytest.fixture(scope="module")
def passes():
    return load_passes()


@pytest.fixture(scope="module")
def labelled(corpus):
    both = pd.concat([corpus[corpus["source"] == "authored"], load_corpus(DEFAULT_DEV)])
    return both.set_index(["doc", "para"])


def test_every_authored_and_dev_paragraph_has_its_passes(passes, labelled):
    keyed = passes.assign(para=passes["para"].astype(int)).set_index(["doc", "para"])
    assert keyed.index.is_unique
    assert set(keyed.index) == set(labelled.index)
    joined = labelled[["label", "also"]].join(keyed[["label", "also"]].add_suffix("_passes"))
    assert (joined["label"] == joined["label_passes"]).all()
    assert (joined["also"].fillna("") == joined["also_passes"]).all()


def test_each_final_label_is_explained(passes):
    assert set(passes["decided"]) <= DECIDED
    for column in ("first_label", "second_label", "label"):
        assert set(passes[column]) <= set(LABELS), column
    agreed = passes["decided"] == "agreed"
    assert (passes.loc[agreed, "first_label"] == passes.loc[agreed, "second_label"]).all()
    assert (passes.loc[agreed, "label"] == passes.loc[agreed, "first_label"]).all()
    settled = passes[~agreed]
    assert (settled["rule"] != "").all() and (settled["reason"] != "").all()
    adjudicated = passes["decided"] == "adjudicated"
    assert (passes.loc[adjudicated, "first_label"] != passes.loc[adjudicated, "second_label"]).all()


def test_agreement_table_counts_every_paragraph(passes):
    table = agreement_table(passes).set_index("writer")
    assert table.loc["all", "paragraphs"] == len(passes)
    assert table.drop("all")["paragraphs"].sum() == len(passes)
    assert table.loc["all", "by recorded decision"] == (passes["decided"] == "project decision").sum()
    assert 0 < table.loc["all", "kappa"] <= table.loc["all", "agreement"] <= 1


def test_part_headings_are_other_in_every_document(labelled):
    """The revised decision holds in every authored and dev document, single-topic ones
    included: 「一、总体情况」, 「二、主要做法」 … are 其他."""
    heads = labelled[labelled["text"].str.strip().str.fullmatch(PART_HEADING)]
    assert len(heads) >= 100
    assert (heads["label"] == OTHER).all(), heads.loc[heads["label"] != OTHER, "text"].head()


def test_part_heading_decision_is_applied_once_to_files_and_passes(tmp_path):
    doc = tmp_path / "authored" / "Z_01_某县2020年行政复议工作报告.txt"
    doc.parent.mkdir()
    doc.write_text("其他\t某县2020年行政复议工作报告\n化解纠纷\t一、总体情况\n"
                   "化解纠纷\t(一)收案及受理情况\n化解纠纷;监督\t二、主要做法\n", encoding="utf-8")
    rows = [("其他", "其他"), ("化解纠纷", "化解纠纷"), ("化解纠纷", "化解纠纷"), ("化解纠纷", "监督")]
    passes = tmp_path / "label_passes.csv"
    pd.DataFrame([{"doc": "authored/" + doc.name, "para": i, "first_label": a, "first_also": "",
                   "second_label": b, "second_also": "", "label": a, "also": "",
                   "decided": "agreed" if a == b else "adjudicated", "rule": "", "reason": ""}
                  for i, (a, b) in enumerate(rows)]).to_csv(passes, index=False)
    changed = apply_part_headings([doc], passes)
    assert changed["para"].tolist() == [1, 3]  # the subject heading (一)收案… keeps its topic
    assert [line.split("\t")[0] for line in doc.read_text(encoding="utf-8").splitlines()] == [
        "其他", "其他", "化解纠纷", "其他"]
    after = load_passes(passes)
    assert after["label"].tolist() == ["其他", "其他", "化解纠纷", "其他"]
    assert after["decided"].tolist() == ["agreed", "project decision", "agreed", "project decision"]
    assert apply_part_headings([doc], passes).empty


def test_part_heading_decision_refuses_a_malformed_file_and_changes_nothing(tmp_path):
    doc = tmp_path / "authored" / "Z_02_坏文件.txt"
    doc.parent.mkdir()
    doc.write_text("化解纠纷\t一、总体情况\n没有标签的一行\n", encoding="utf-8")
    passes = tmp_path / "label_passes.csv"
    passes.write_text("doc,para,first_label,first_also,second_label,second_also,label,also,"
                      "decided,rule,reason\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="Z_02_坏文件.txt:2"):
        apply_part_headings([doc], passes)
    assert doc.read_text(encoding="utf-8").startswith("化解纠纷\t")
