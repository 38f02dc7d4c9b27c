"""The train/ scripts: each imports against the present library (the API they call exists)
and documents its command. Running them takes minutes to an hour, so that is not done here;
this catches a script left behind by a renamed or moved function."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

TRAIN = Path(__file__).resolve().parent.parent / "train"
SCRIPTS = sorted(TRAIN.glob("*.py"))


def test_there_are_scripts():
    assert len(SCRIPTS) >= 10


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_script_imports_and_documents_its_command(path, monkeypatch):
    monkeypatch.syspath_prepend(str(TRAIN))  # bench_outputs.py reuses bench.py's helpers
    spec = importlib.util.spec_from_file_location(f"train_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # top level only: the work is under __main__
    assert f"python train/{path.name}" in (module.__doc__ or ""), path.name
