"""data/label_passes.csv: the labelling passes behind every authored and dev label."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from lawgov_cls.corpus import DEFAULT_DEV, load_corpus
from lawgov_cls.labels import LABELS, OTHER
from lawgov_cls.passes import agreement_table, load_passes

DECIDED = {"agreed", "adjudicated", "project decision"}
#: Headings that name a part of a report, not its subject (GUIDELINES.md, rule 9 decisions).
PART_HEADING = re.compile(r"(第[一二三四五六七八九十]+章|[(]?[一二三四五六七八九十\d]+[)、.])\s*"
                          r"(总体情况|基本情况|总则|附则|主要做法|主要工作|主要工作措施|工作开展情况"
                          r"|主要工作开展情况|办理成效|主要成效|工作成效|主要(?:做法|工作)[和及]成效)")


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
