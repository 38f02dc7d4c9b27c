"""Text features: word uni- and bigrams and character n-grams, TF-IDF weighted.

Words come from rjieba (Rust bindings of jieba-rs) with HMM off and the project's user
dictionary added; with HMM off its tokens are jieba's (a test pins this on the seeds), at
about 15 times the speed. ``TextFeatures`` is the scikit-learn transformer the model uses.

>>> tokenize("深化放管服改革，推行证照分离")  # doctest: +SKIP
['深化', '放管服', '改革', '推行', '证照分离']
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
import threading
import unicodedata

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

from lawgov_cls.labels import GENRE_TOPIC
from lawgov_cls.resources import userdict_path

_TOPICS = tuple(sorted(set(GENRE_TOPIC.values())))
_segmenter = None
_segmenter_lock = threading.Lock()

# Tokens made only of punctuation, symbols or spaces carry no topic.
_NOISE = re.compile(r"^[\W_]+$")
_DIGITS = re.compile(r"\d")
#: Placeholder for any token containing a digit: figures matter, their values do not.
NUMBER_TOKEN = "<num>"


def user_terms() -> list[tuple[str, int, str]]:
    """(term, frequency, tag) of every line of the UTF-8 user dictionary."""
    terms = []
    for line in userdict_path().read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts:
            terms.append((parts[0], int(parts[1]) if len(parts) > 1 else 10,
                          parts[2] if len(parts) > 2 else ""))
    return terms


def get_segmenter():
    """The rjieba module with the user dictionary added, once per process.

    rjieba has no load_userdict; add_word keeps each entry whole, as jieba's would.
    """
    global _segmenter
    if _segmenter is None:
        with _segmenter_lock:
            if _segmenter is None:
                import rjieba

                for term, freq, tag in user_terms():
                    rjieba.add_word(term, freq, tag)
                _segmenter = rjieba
    return _segmenter


def normalize(text: str) -> str:
    """NFKC (full- and half-width read the same) and collapse whitespace."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def tokenize(text: str) -> list[str]:
    """Word tokens of normalised text; one-character tokens kept, punctuation dropped.

    Tokens containing a digit become ``NUMBER_TOKEN``.
    """
    return _tokens(normalize(text))


@functools.lru_cache(maxsize=1 << 16)
def _fold(token: str) -> str:
    """A token as a feature: "" for punctuation and spaces, NUMBER_TOKEN if it has a digit."""
    if token.isspace() or _NOISE.match(token):
        return ""
    return NUMBER_TOKEN if _DIGITS.search(token) else token


def _tokens(normalized: str) -> list[str]:
    try:
        cut = get_segmenter().cut(normalized, False)
    except UnicodeEncodeError:  # lone surrogates, which the Rust side cannot take
        cut = get_segmenter().cut(normalized.encode("utf-8", "replace").decode("utf-8"), False)
    # map/filter keep the per-token work in C; _fold is cached, tokens repeat a lot.
    return list(filter(None, map(_fold, cut)))


def word_grams(text: str) -> list[str]:
    """Word unigrams and space-joined bigrams (what TfidfVectorizer's ngram_range=(1, 2) gives)."""
    return _word_grams(normalize(text))


def _word_grams(normalized: str) -> list[str]:
    tokens = _tokens(normalized)
    return tokens + list(map("{} {}".format, tokens, tokens[1:]))


def char_text(text: str) -> str:
    """Text for character n-grams: normalised, digits folded to 0."""
    return _DIGITS.sub("0", normalize(text))


def char_grams(text: str, ngram_range: tuple[int, int] = (2, 3)) -> list[str]:
    """Character n-grams of ``char_text`` (what analyzer="char" gives)."""
    return _char_grams(normalize(text), ngram_range)


def _char_grams(normalized: str, ngram_range: tuple[int, int] = (2, 3)) -> list[str]:
    text = _DIGITS.sub("0", normalized)
    low, high = ngram_range
    grams: list[str] = []
    current = list(text)  # n-grams of length 1, extended one character per round (in C)
    for n in range(1, high + 1):
        if n > 1:
            current = list(map(operator.add, current, text[n - 1:]))
        if n >= low:
            grams += current
    return grams


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)


def _pack(codes: np.ndarray, n: int) -> np.ndarray:
    """One int64 per n-gram of a code point array: the n code points, 21 bits each (n <= 3)."""
    keys = codes[:len(codes) - n + 1].copy()
    for i in range(1, n):
        keys = (keys << 21) | codes[i:len(codes) - n + 1 + i]
    return keys


def _term_keys(terms: np.ndarray) -> np.ndarray:
    """The _pack key of each n-gram term (terms of mixed lengths n <= 3)."""
    keys = np.zeros(len(terms), dtype=np.int64)
    lengths = np.char.str_len(terms)
    for n in np.unique(lengths):
        chosen = np.flatnonzero(lengths == n)
        codes = _code_points("".join(terms[chosen].tolist())).reshape(len(chosen), n)
        for i in range(n):
            keys[chosen] = (keys[chosen] << 21) | codes[:, i]
    return keys


def _word_lookup(terms: np.ndarray) -> tuple[dict[str, int], pd.Index]:
    """Unigram id by string, and the bigrams as an index of ``first id * n + second id``
    whose positions are mapped back to the bigram's own id (-1 where a part is unknown)."""
    terms = terms.tolist()
    lookup = {t: i for i, t in enumerate(terms) if " " not in t}
    keys, bigram_ids = [], []
    for i, term in enumerate(terms):
        first, _, second = term.partition(" ")
        if second and first in lookup and second in lookup:
            keys.append(lookup[first] * len(terms) + lookup[second])
            bigram_ids.append(i)
    return lookup, _PositionIndex(np.array(keys, dtype=np.int64), np.array(bigram_ids))


class _PositionIndex:
    """Integer keys mapped to ids: ``get_indexer`` gives each key's id, -1 if unknown."""

    def __init__(self, keys: np.ndarray, ids: np.ndarray):
        self.index, self.ids = pd.Index(keys), np.append(ids, -1).astype(np.int64)

    def get_indexer(self, keys: np.ndarray) -> np.ndarray:
        return self.ids[self.index.get_indexer(keys)]  # position -1 picks the appended -1


def _count_matrix(rows: np.ndarray, ids: np.ndarray, shape: tuple[int, int]) -> sp.csr_matrix:
    """Term counts from (row, term id) pairs; ids < 0 (unknown terms) are dropped."""
    known = ids >= 0
    return sp.coo_matrix((np.ones(int(known.sum())), (rows[known], ids[known])),
                         shape=shape).tocsr()  # tocsr sums the repeats


def _contexts(X) -> list[str]:
    """The context tokens of model input (space-separated), "" where there are none."""
    if hasattr(X, "columns") and "context" in X.columns:
        return ["" if c is None else str(c) for c in X["context"]]
    return [""] * len(X)


def _texts(X) -> list[str]:
    """The paragraph texts of model input: a list of strings or a frame with a ``text`` column."""
    if hasattr(X, "columns"):
        X = X["text"]
    return ["" if t is None else str(t) for t in X]


class TextFeatures(TransformerMixin, BaseEstimator):
    """TF-IDF of word uni/bigrams and of character n-grams, stacked side by side.

    Fitting uses scikit-learn's CountVectorizer (vocabulary, min_df, max_features) and
    TfidfTransformer (sublinear tf, idf, l2 norm) for each block. Transforming counts
    n-grams by dictionary lookup instead of CountVectorizer.transform, which raises and
    catches a KeyError for every out-of-vocabulary n-gram, and then applies the fitted
    TfidfTransformer. The vocabulary is kept as an array of terms (index order) so that a
    skops file stores it as one array and loads it fast.
    """

    def __init__(self, words: bool = True, chars: bool = True,
                 char_ngrams: tuple[int, int] = (2, 3), min_df: int = 1,
                 max_char_features: int = 100_000, context: tuple[str, ...] = (),
                 context_weight: float = 1.0, context_exclude: tuple[str, ...] = (),
                 domain_words: str = ""):
        self.words = words
        self.chars = chars
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.max_char_features = max_char_features
        self.context = context
        self.context_weight = context_weight
        self.context_exclude = context_exclude
        self.domain_words = domain_words

    def _analyzers(self):
        """(block name, analyzer of normalised text, min_df, max_features) of each block."""
        blocks = []
        if self.words:
            blocks.append(("words", _word_grams, self.min_df, None))
        if self.chars:
            blocks.append(("chars", functools.partial(_char_grams, ngram_range=tuple(self.char_ngrams)),
                           max(2, self.min_df), self.max_char_features))
        if not blocks:
            raise ValueError("TextFeatures needs words or chars")
        if self.context:
            blocks.append(("context", str.split, 1, None))
        return blocks

    def fit(self, X, y=None):
        if self.chars and not 1 <= self.char_ngrams[0] <= self.char_ngrams[1] <= 3:
            raise ValueError(f"char_ngrams must lie within (1, 3), got {self.char_ngrams}")
        texts = [normalize(t) for t in _texts(X)]
        self.blocks_, self.terms_, self.tfidf_ = [], [], []
        for name, analyzer, min_df, max_features in self._analyzers():
            counter = CountVectorizer(analyzer=analyzer, min_df=min_df, max_features=max_features,
                                      binary=name == "context")
            docs = self._contexts(X) if name == "context" else texts
            if name == "context":  # a sentinel keeps the vocabulary non-empty
                docs = docs + ["context:none"]
            counts = counter.fit_transform(docs)
            self.blocks_.append(name)
            self.terms_.append(counter.get_feature_names_out().astype(str))
            # Context tokens are indicators of a fixed weight, not TF-IDF.
            self.tfidf_.append(None if name == "context" else
                               TfidfTransformer(sublinear_tf=True).fit(counts))
            if name == "words" and self.domain_words:
                self._fit_domains(counts, X)
        return self

    # --- feature augmentation by kind of document -----------------------------------------
    # domain_words="topic" gives a paragraph of a single-topic document (one whose context
    # carries prior:TOPIC) a second copy of its word features, in a block of its own per
    # topic ("single": one block for all single-topic documents): the "frustratingly easy"
    # domain adaptation of Daumé (2007). A word can then weigh differently in, say, a
    # 建议提案 answer than in an annual report, while the shared copy still learns from both.

    def _fit_domains(self, counts: sp.csr_matrix, X) -> None:
        if self.domain_words not in ("single", "topic"):
            raise ValueError(f"domain_words must be '', 'single' or 'topic', got {self.domain_words!r}")
        self.domains_ = ("single",) if self.domain_words == "single" else _TOPICS
        ids = self._domain_ids(X)
        # Only words seen in a domain's training rows get a column there: any other would
        # have a zero weight, so leaving it out changes nothing but the model's size.
        self.domain_columns_ = [np.flatnonzero(counts[ids == k].getnnz(axis=0)).astype(np.int32)
                                for k in range(len(self.domains_))]

    def _domain_ids(self, X) -> np.ndarray:
        """Each row's domain (index into domains_), -1 for rows outside single-topic documents."""
        from lawgov_cls.context import prior_topic

        ids = np.full(len(_texts(X)), -1)
        for i, c in enumerate(_contexts(X)):
            topic = prior_topic(c)
            if topic is not None:
                ids[i] = 0 if self.domains_ == ("single",) else self.domains_.index(topic)
        return ids

    def _domain_block(self, words: sp.csr_matrix, ids: np.ndarray) -> sp.csr_matrix:
        def build():
            column = np.full((len(self.domains_), len(self.terms_[0])), -1, dtype=np.int64)
            offset = 0
            for k, columns in enumerate(self.domain_columns_):
                column[k, columns] = offset + np.arange(len(columns))
                offset += len(columns)
            return column, offset

        column, width = self._cached("domain_columns", build)
        words = words.tocsr()
        rows = np.repeat(np.arange(words.shape[0]), np.diff(words.indptr))
        domain = ids[rows]
        inside = domain >= 0
        cols = np.full(len(rows), -1)
        cols[inside] = column[domain[inside], words.indices[inside]]
        keep = cols >= 0
        return sp.csr_matrix((words.data[keep], (rows[keep], cols[keep])),
                             shape=(words.shape[0], width))

    def domain_copies(self) -> np.ndarray:
        """The word column that each column of the domain block copies (none without
        domain_words)."""
        if not getattr(self, "domain_words", ""):
            return np.zeros(0, dtype=np.int64)
        return np.concatenate(self.domain_columns_).astype(np.int64)

    def column_blocks(self) -> list[tuple[str, int]]:
        """(block name, width) of each block in column order: the domain block follows words."""
        out = []
        for name, terms in zip(self.blocks_, self.terms_):
            out.append((name, len(terms)))
            if name == "words" and getattr(self, "domain_words", ""):
                out.append(("domain", sum(len(c) for c in self.domain_columns_)))
        return out

    def transform(self, X):
        texts = [normalize(t) for t in _texts(X)]
        if not texts:  # TfidfTransformer refuses zero rows
            return sp.csr_matrix((0, sum(len(terms) for terms in self.terms_)))
        blocks = []
        for name, terms, tfidf in zip(self.blocks_, self.terms_, self.tfidf_):
            if name == "context":
                counts = self._count_context(self._contexts(X), terms)
                counts.data[:] = self.context_weight
                blocks.append(counts)
            else:
                counter = self._count_words if name == "words" else self._count_chars
                blocks.append(tfidf.transform(counter(texts, terms)))
                if name == "words" and getattr(self, "domain_words", ""):
                    blocks.append(self._domain_block(blocks[-1], self._domain_ids(X)))
        return blocks[0] if len(blocks) == 1 else sp.hstack(blocks, format="csr")

    def _contexts(self, X) -> list[str]:
        """The context tokens of the kinds this model uses (``kind:...``), without those of
        the shapes in ``context_exclude`` (``…|SHAPE``)."""
        kinds = tuple(f"{kind}:" for kind in self.context)
        # getattr: a model saved before context_exclude existed has no such attribute.
        exclude = tuple(f"|{shape}" for shape in getattr(self, "context_exclude", ()))
        return [" ".join(t for t in c.split() if t.startswith(kinds)
                         and not (exclude and t.endswith(exclude))) for c in _contexts(X)]

    def _count_context(self, contexts: list[str], terms: np.ndarray) -> sp.csr_matrix:
        lookup = self._cached("context_lookup", lambda: dict(zip(terms.tolist(), range(len(terms)))))
        tokens = [c.split() for c in contexts]
        lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
        ids = np.fromiter(map(lookup.get, itertools.chain.from_iterable(tokens),
                              itertools.repeat(-1)), dtype=np.int64, count=int(lengths.sum()))
        counts = _count_matrix(np.repeat(np.arange(len(contexts)), lengths), ids,
                               (len(contexts), len(terms)))
        counts.data[:] = 1.0
        return counts

    def _count_words(self, texts: list[str], terms: np.ndarray) -> sp.csr_matrix:
        """The counts _word_grams would give. Unigrams are looked up by string; a bigram
        is two unigram ids, so it is looked up as one integer, never built as a string
        (every part of a bigram in the vocabulary is in it too: a unigram is at least as
        frequent as any bigram it is part of)."""
        lookup, bigram_index = self._cached("word_lookup", lambda: _word_lookup(terms))
        tokens = [_tokens(t) for t in texts]
        lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
        ids = np.fromiter(map(lookup.get, itertools.chain.from_iterable(tokens),
                              itertools.repeat(-1)), dtype=np.int64, count=int(lengths.sum()))
        rows = np.repeat(np.arange(len(texts)), lengths)
        pairs = (rows[:-1] == rows[1:]) & (ids[:-1] >= 0) & (ids[1:] >= 0)
        bigrams = bigram_index.get_indexer(ids[:-1][pairs] * len(terms) + ids[1:][pairs])
        return _count_matrix(np.concatenate([rows, rows[:-1][pairs]]),
                             np.concatenate([ids, bigrams]), (len(texts), len(terms)))

    def _count_chars(self, texts: list[str], terms: np.ndarray) -> sp.csr_matrix:
        """The counts _char_grams would give, computed on code points: each n-gram of the
        joined texts becomes one integer, looked up in a hash index of the vocabulary's
        integers (8 times faster than building and hashing the n-gram strings)."""
        index = self._cached("char_index", lambda: pd.Index(_term_keys(terms)))
        # "\n" never occurs in normalised text, so n-grams across two texts match nothing.
        codes = _code_points(_DIGITS.sub("0", "\n".join(texts)))
        row_of = np.repeat(np.arange(len(texts)), [len(t) + 1 for t in texts])[:len(codes)]
        low, high = self.char_ngrams
        rows, ids = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
        for n in range(low, min(high, len(codes)) + 1):
            ids.append(index.get_indexer(_pack(codes, n)))
            rows.append(row_of[:len(codes) - n + 1])
        return _count_matrix(np.concatenate(rows), np.concatenate(ids), (len(texts), len(terms)))

    def _cached(self, name: str, build):
        # Lookup structures are built from terms_ on first use and never saved.
        cache = self.__dict__.setdefault("_cache", {})
        if name not in cache:
            cache[name] = build()
        return cache[name]

    def column_terms(self) -> list[str]:
        """The term of every column, in column order, without block prefixes."""
        terms = dict(zip(self.blocks_, (t.tolist() for t in self.terms_)))
        if getattr(self, "domain_words", ""):  # a domain block copies the words block
            terms["domain"] = [f"{domain}|{terms['words'][i]}"
                               for domain, columns in zip(self.domains_, self.domain_columns_)
                               for i in columns.tolist()]
        return [t for name, _ in self.column_blocks() for t in terms[name]]

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """``block__term`` for every column, words first."""
        names = np.concatenate([np.full(width, f"{name}__", dtype=object)
                                for name, width in self.column_blocks()])
        return (names + np.array(self.column_terms(), dtype=object)).astype(object)

    def block_mask(self, name: str) -> np.ndarray:
        """Boolean mask of the columns that belong to block ``name``."""
        return np.concatenate([np.full(width, block == name)
                               for block, width in self.column_blocks()])

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("_cache", None)
        return state
