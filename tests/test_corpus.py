"""The labelled corpus data/paragraphs.csv and the jieba user dictionary."""

from __future__ import annotations

import pickle

import pandas as pd
import pytest

from lawgov_cls.corpus import COLUMNS, DEFAULT_CORPUS, split_report_rows, validate_corpus
from lawgov_cls.features import tokenize
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


@pytest.mark.parametrize("term", ["放管服", "双随机一公开", "证照分离", "枫桥经验", "合法性审查",
                                  "出庭应诉", "一网通办", "案卷评查", "谁执法谁普法", "会前学法"])
def test_domain_terms_survive_tokenization(term):
    assert term in tokenize(f"深入推进{term}工作。")


def test_tokenizer_keeps_one_character_tokens_and_folds_numbers():
    tokens = tokenize("全年办理案件12件,纠错率8.5%。")
    assert "件" in tokens and "<num>" in tokens
    assert "," not in tokens and "。" not in tokens


def test_tokenizer_reads_full_and_half_width_alike():
    assert tokenize("（一）加强领导，落实责任") == tokenize("(一)加强领导,落实责任")


def test_tokenizer_pickles():
    assert pickle.loads(pickle.dumps(tokenize)) is tokenize
