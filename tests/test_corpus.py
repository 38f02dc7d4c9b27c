"""The labelled corpus data/paragraphs.csv and the jieba user dictionary."""

from __future__ import annotations

import pickle

import pandas as pd
import pytest

from lawgov_cls.corpus import COLUMNS, DEFAULT_CORPUS, split_report_rows, validate_corpus
from lawgov_cls.labels import LABELS, OTHER


def test_required_columns_and_valid_labels(corpus):
    assert list(corpus.columns[: len(COLUMNS)]) == COLUMNS
    assert set(corpus["label"]) <= set(LABELS)
    assert validate_corpus(corpus) == []
    assert not corpus.duplicated(["doc", "para"]).any()
    assert set(corpus["source"]) == {"seed", "authored"}


def test_every_label_is_present_among_seeds_and_authored(corpus):
    for source in ("seed", "authored"):
        assert set(corpus.loc[corpus["source"] == source, "label"]) == set(LABELS), source


def test_resplitting_the_seeds_reproduces_the_corpus(corpus, seed_paths):
    for path in seed_paths:
        rows = split_report_rows(path, path.name).reset_index(drop=True)
        labelled = corpus[corpus["doc"] == path.name].reset_index(drop=True)
        assert len(rows) == len(labelled) > 0, path.name
        for column in ("doc", "para", "text", "heading"):
            assert rows[column].tolist() == labelled[column].tolist(), (path.name, column)
        assert (labelled["source"] == "seed").all()


def test_validation_catches_bad_rows(corpus):
    bad = corpus.head(3).copy()
    bad.loc[bad.index[0], "label"] = "杂项"
    bad.loc[bad.index[1], "also"] = OTHER
    bad = pd.concat([bad, bad.iloc[[2]]])
    problems = validate_corpus(bad)
    assert any("labels outside" in p for p in problems)
    assert any("also" in p for p in problems)
    assert any("duplicate" in p for p in problems)


def test_corpus_is_utf8_without_bom():
    assert not DEFAULT_CORPUS.read_bytes().startswith(b"\xef\xbb\xbf")
