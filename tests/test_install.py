"""train and evaluate after a plain (non-editable) install, as the README's `pip install .` does.

The package is installed with pip into a folder of its own (``--target``), and run from
there with ``python -m lawgov_cls``: outside a checkout, train and evaluate ask for
--data/--models in one line (exit 2); in a checkout (a small copy of this one, with a tiny
corpus so that training takes seconds) they read data/ and write models/ there, and never
write into the installed package.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lawgov_cls.corpus import CorpusError, resolve_paths

ROOT = Path(__file__).resolve().parent.parent


def listing(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")
            if "__pycache__" not in p.parts}


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The package installed by pip from a copy of the sources (the checkout stays clean)."""
    work = tmp_path_factory.mktemp("install")
    source = work / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build", "work")
    for name in ("lawgov_cls", "models", "data"):
        shutil.copytree(ROOT / name, source / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    target = work / "site"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                           "--no-build-isolation", "--target", str(target), str(source)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (target / "lawgov_cls" / "templates" / "report_head.html.j2").is_file()
    return target


def run_installed(installed: Path, cwd: Path, *args) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(installed))
    return subprocess.run([sys.executable, "-m", "lawgov_cls", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def test_the_installed_copy_is_the_one_that_runs(installed, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(installed))
    where = subprocess.run([sys.executable, "-c", "import lawgov_cls; print(lawgov_cls.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert Path(where.stdout.strip()).parent == installed / "lawgov_cls"


@pytest.mark.parametrize("command", ["train", "evaluate"])
def test_outside_a_checkout_train_and_evaluate_ask_for_data_in_one_line(installed, tmp_path,
                                                                         command):
    before = listing(installed)
    result = run_installed(installed, tmp_path, command)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--data" in lines[0] and "Traceback" not in result.stderr
    assert listing(installed) == before and not list(tmp_path.iterdir())


def test_train_asks_for_models_when_only_data_is_given(installed, tmp_path, small_corpus):
    data = tmp_path / "paragraphs.csv"
    small_corpus.to_csv(data, index=False)
    result = run_installed(installed, tmp_path, "train", "--data", str(data))
    assert result.returncode == 2 and "--models" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.fixture
def small_checkout(tmp_path, small_corpus) -> Path:
    """A copy of a checkout with a tiny corpus: pyproject.toml, data/paragraphs.csv."""
    checkout = tmp_path / "checkout"
    (checkout / "data").mkdir(parents=True)
    shutil.copy(ROOT / "pyproject.toml", checkout)
    small_corpus.to_csv(checkout / "data" / "paragraphs.csv", index=False)
    return checkout


def test_in_a_checkout_train_and_evaluate_use_its_data_and_models(installed, small_checkout):
    before = listing(installed)
    trained = run_installed(installed, small_checkout, "train")
    assert trained.returncode == 0, trained.stderr[-3000:]
    models = small_checkout / "models"
    assert {p.name for p in models.iterdir()} >= {"lawgov_cls.skops", "metrics.json",
                                                  "MODEL_CARD.md"}
    assert "training on" in trained.stderr and "fold" in trained.stderr  # progress, on stderr
    assert "leave-one-report-out" in trained.stdout
    assert listing(installed) == before  # nothing written into the installed package

    evaluated = run_installed(installed, small_checkout, "evaluate")
    assert evaluated.returncode == 0, evaluated.stderr[-3000:]
    assert "leave-one-report-out" in evaluated.stdout and "fold" in evaluated.stderr

    # The model trained there tags (loaded as a .skops file, no --trust-model needed).
    report = small_checkout / "r.txt"
    shutil.copy(ROOT / "seeds" / "000_61e82024cf361030.txt", report)
    tagged = run_installed(installed, small_checkout, "tag", "r.txt", "--out", "o", "-q",
                           "--model", str(models / "lawgov_cls.skops"))
    assert tagged.returncode == 0, tagged.stderr[-3000:]
    assert (small_checkout / "o" / "report.html").is_file()


def test_resolve_paths_prefers_what_is_given_then_the_checkout(tmp_path, small_checkout):
    paths = resolve_paths(cwd=small_checkout)
    assert paths.corpus == small_checkout / "data" / "paragraphs.csv"
    assert paths.models == small_checkout / "models"
    assert paths.dev == small_checkout / "data" / "dev.csv"
    given = resolve_paths(small_checkout / "data" / "paragraphs.csv", tmp_path / "m", cwd=tmp_path)
    assert given.models == tmp_path / "m"
    with pytest.raises(CorpusError, match="--data"):
        resolve_paths(cwd=tmp_path)
    with pytest.raises(CorpusError, match="--models"):
        resolve_paths(small_checkout / "data" / "paragraphs.csv", cwd=tmp_path)
    with pytest.raises(CorpusError, match="not found"):
        resolve_paths(tmp_path / "none.csv", tmp_path, cwd=tmp_path)
