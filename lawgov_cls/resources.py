"""Where the bundled model and the jieba user dictionary live.

In an installed copy they are package data (``lawgov_cls._models`` and ``lawgov_cls._data``,
mapped from the repository's ``models/`` and ``data/`` by pyproject.toml); in a source
checkout they are read from those top-level folders directly.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

MODEL_FILENAME = "lawgov_cls.skops"
_REPO_ROOT = Path(__file__).resolve().parent.parent


def _resource(package: str, folder: str, name: str) -> Path:
    try:
        candidate = Path(str(resources.files(package) / name))
        if candidate.exists():
            return candidate
    except ModuleNotFoundError:
        pass
    return _REPO_ROOT / folder / name


def bundled_model_path() -> Path:
    """Path of the model shipped with the package."""
    return _resource("lawgov_cls._models", "models", MODEL_FILENAME)


def userdict_path() -> Path:
    """Path of the jieba user dictionary shipped with the package."""
    return _resource("lawgov_cls._data", "data", "userdict.txt")
