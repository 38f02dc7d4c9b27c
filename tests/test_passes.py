"""data/label_passes.csv: the labelling passes behind every authored and dev label."""

from __future__ import annotations

import pandas as pd
import pytest

from lawgov_cls.corpus import DEFAULT_DEV, load_corpus
from lawgov_cls.labels import LABELS
from lawgov_cls.passes import agreement_table, load_passes

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
