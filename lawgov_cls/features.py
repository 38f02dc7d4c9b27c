"""Text features: jieba word tokens (with the domain dictionary) and character n-grams.

The tokenizer is a module-level function so that a fitted pipeline pickles. jieba is set
up lazily, on the first call, with its cache in a writable directory and the project's
user dictionary loaded.

>>> tokenize("深化放管服改革，推行证照分离")  # doctest: +SKIP
['深化', '放管服', '改革', '推行', '证照分离']
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
import unicodedata
from pathlib import Path

from lawgov_cls.resources import userdict_path

_jieba = None
_jieba_lock = threading.Lock()

# Tokens made only of punctuation, symbols or spaces carry no topic.
_NOISE = re.compile(r"^[\W_]+$")
_DIGITS = re.compile(r"\d")
#: Placeholder for any token containing a digit: figures matter, their values do not.
NUMBER_TOKEN = "<num>"


def _cache_dir() -> str:
    """A writable directory for jieba's dictionary cache."""
    base = os.environ.get("LAWGOV_CLS_CACHE") or os.environ.get("XDG_CACHE_HOME")
    candidates = [Path(base) / "lawgov_cls"] if base else []
    candidates += [Path.home() / ".cache" / "lawgov_cls", Path(tempfile.gettempdir())]
    for candidate in candidates:
        try:
            candidate.mkdir(parents=True, exist_ok=True)
            if os.access(candidate, os.W_OK):
                return str(candidate)
        except OSError:
            continue
    return tempfile.gettempdir()


def get_jieba():
    """Return the jieba module, initialised once per process with the user dictionary."""
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                jieba.dt.tmp_dir = _cache_dir()
                jieba.initialize()
                # The file is UTF-8, as load_userdict requires; given a path, jieba
                # would leave the file open, so hand it an open file.
                with open(userdict_path(), "rb") as userdict:
                    jieba.load_userdict(userdict)
                _jieba = jieba
    return _jieba


def normalize(text: str) -> str:
    """NFKC (full- and half-width read the same) and collapse whitespace."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def tokenize(text: str) -> list[str]:
    """Jieba tokens of normalised text; one-character tokens kept, punctuation dropped.

    Tokens containing a digit become ``NUMBER_TOKEN``.
    """
    tokens = []
    for token in get_jieba().lcut(normalize(text)):
        if token.isspace() or _NOISE.match(token):
            continue
        tokens.append(NUMBER_TOKEN if _DIGITS.search(token) else token)
    return tokens


def char_text(text: str) -> str:
    """Text for the character n-gram vectoriser: normalised, digits folded to 0."""
    return _DIGITS.sub("0", normalize(text))
