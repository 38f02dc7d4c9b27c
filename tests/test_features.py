"""Features: the fast tokenizer against the reference, and the counting fast path."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from lawgov_cls.features import (TextFeatures, _char_grams, _word_grams, normalize, tokenize,
                                  user_terms)
from lawgov_cls.read import read_report


@pytest.fixture(scope="module")
def reference_jieba(tmp_path_factory):
    """jieba, the reference tokenizer, with the same user dictionary and its cache in tmp."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = str(tmp_path_factory.mktemp("jieba"))
    for term, freq, tag in user_terms():
        tokenizer.add_word(term, freq, tag)
    return tokenizer


def test_fast_tokenizer_equals_jieba_without_hmm_on_the_seeds(seed_paths, reference_jieba):
    from lawgov_cls.features import get_segmenter

    lines = [normalize(line) for path in seed_paths
             for line in read_report(path).splitlines() if line.strip()]
    different = [line for line in lines
                 if get_segmenter().cut(line, False) != reference_jieba.lcut(line, HMM=False)]
    assert len(lines) > 250 and not different, different[:3]


@pytest.mark.parametrize("term", [t for t, _, _ in user_terms()])
def test_every_user_dictionary_term_stays_whole(term):
    tokens = tokenize(f"深入推进{term}工作。")
    assert term in tokens or normalize(term) in tokens


def test_tokenizer_keeps_one_character_tokens_and_folds_numbers():
    tokens = tokenize("全年办理案件12件,纠错率8.5%。")
    assert "件" in tokens and "<num>" in tokens
    assert "," not in tokens and "。" not in tokens


def test_tokenizer_reads_full_and_half_width_alike():
    assert tokenize("（一）加强领导，落实责任") == tokenize("(一)加强领导,落实责任")


def test_tokenizer_takes_lone_surrogates():
    tokens = tokenize("执法\udcb1检查")  # what a file name decoded with surrogateescape holds
    assert "执法" in tokens and "检查" in tokens


def test_tokenizer_pickles():
    assert pickle.loads(pickle.dumps(tokenize)) is tokenize


TEXTS = ["深化放管服改革,推行证照分离和一网通办。", "", "a", "２０２３年办理行政复议案件12件",
         "法治 政府 建设", "全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度。"]


@pytest.mark.parametrize("words,chars", [(True, True), (True, False), (False, True)])
def test_fast_counting_equals_scikit_learn(corpus, words, chars):
    """The transform fast path gives what TfidfVectorizer gives with the same analyzers."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    train = corpus["text"].tolist()[:600]
    features = TextFeatures(words=words, chars=chars).fit(train)
    test = [normalize(t) for t in corpus["text"].tolist()[600:900] + TEXTS]
    expected = []
    for name, terms in zip(features.blocks_, features.terms_):
        analyzer = _word_grams if name == "words" else _char_grams
        reference = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True,
                                    min_df=1 if name == "words" else 2,
                                    max_features=None if name == "words" else 100_000)
        reference.fit([normalize(t) for t in train])
        assert reference.get_feature_names_out().tolist() == terms.tolist()
        expected.append(reference.transform(test).toarray())
    assert np.allclose(features.transform(test).toarray(), np.hstack(expected))


def test_features_transform_zero_texts():
    features = TextFeatures().fit(["依法行政", "依法执法", "严格执法"])
    assert features.transform([]).shape == (0, len(features.get_feature_names_out()))


DOMAIN_ROWS = {"text": ["推进政务公开", "学校建设", "行政复议案件", "政务公开 学校"],
               "context": ["prior:监督 pair:监督|heading", "", "prior:化解纠纷", "prior:监督"]}


@pytest.mark.parametrize("domain_words", ["single", "topic"])
def test_domain_block_copies_the_words_of_single_topic_rows_only(domain_words):
    import pandas as pd

    X = pd.DataFrame(DOMAIN_ROWS)
    features = TextFeatures(chars=False, context=("pair",), domain_words=domain_words).fit(X)
    M = features.transform(X).toarray()
    words, domain = M[:, features.block_mask("words")], M[:, features.block_mask("domain")]
    names = np.array(features.column_terms())[features.block_mask("domain")].tolist()
    copies = features.domain_copies()
    assert not domain[1].any()  # an annual-report row (no prior:) has no domain copy
    for i in (0, 2, 3):  # a single-topic row: each of its words once more, same value
        assert sorted(domain[i][domain[i] > 0]) == sorted(words[i][words[i] > 0])
        assert set(copies[domain[i] > 0]) == set(np.flatnonzero(words[i]))
    prefixes = {n.split("|")[0] for n in names}
    assert prefixes == ({"single"} if domain_words == "single" else {"监督", "化解纠纷"})
    # 学校 was seen in a 监督 document only: a 化解纠纷 row containing it gets no copy of it.
    unseen = features.transform(pd.DataFrame({"text": ["学校"], "context": ["prior:化解纠纷"]}))
    assert unseen[:, features.block_mask("domain")].nnz == (1 if domain_words == "single" else 0)
    assert len(features.get_feature_names_out()) == M.shape[1] == len(features.column_terms())


def test_domain_words_must_be_known():
    import pandas as pd

    with pytest.raises(ValueError, match="domain_words"):
        TextFeatures(chars=False, domain_words="genre").fit(pd.DataFrame(DOMAIN_ROWS))
