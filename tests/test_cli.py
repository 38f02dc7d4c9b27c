"""The command line, through click's runner: exit codes, outputs, bad input in a batch."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import make_docx, make_html
from lawgov_cls.cli import cli
from lawgov_cls.labels import TASK_LABELS


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.mark.parametrize("command", ["tag", "coverage", "train", "evaluate"])
def test_every_command_has_help_with_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output and f"lawgov-cls {command}" in result.output


@pytest.mark.parametrize("args, message", [
    (["tag", "seeds", "--out", "x", "--bogus"], "No such option"),
    (["tag", "no/such/dir", "--out", "x"], "does not exist"),
    (["tag", "seeds"], "Missing option '--out'"),
    (["frobnicate"], "No such command"),
])
def test_usage_errors_exit_2_without_traceback(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_tag_seeds_writes_paragraphs_and_coverage(seed_paths, tmp_path):
    out = tmp_path / "out"
    result = run("tag", seed_paths[0].parent, "--out", out)
    assert result.exit_code == 0, result.output
    paragraphs = pd.read_csv(out / "paragraphs.csv")
    assert sorted(paragraphs["doc"].unique()) == [p.name for p in seed_paths]
    for column in ["doc", "para", "heading", "text", "label", "confidence", "evidence",
                   "furniture", "review"] + [f"p_{l}" for l in TASK_LABELS]:
        assert column in paragraphs.columns
    coverage = pd.read_csv(out / "coverage.csv", keep_default_na=False)
    assert coverage["doc"].tolist() == [p.name for p in seed_paths]  # one row per report only
    batch = pd.read_csv(out / "coverage_batch.csv")
    assert len(batch) == 1 and batch.loc[0, "reports"] == len(seed_paths)
    assert pd.read_csv(out / "errors.csv").empty
    assert (out / "report.html").is_file()
    assert "tagged 5 of 5 files" in result.output


def test_existing_output_is_not_clobbered_without_force(seed_path, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    result = run("tag", seed_path, "--out", out)
    assert result.exit_code == 2 and "--force" in result.output
    assert run("tag", seed_path, "--out", out, "--force").exit_code == 0
    assert (out / "keep.txt").read_text() == "mine"


def test_missing_model_is_a_usage_error(seed_path, tmp_path):
    result = run("tag", seed_path, "--out", tmp_path / "o", "--model", tmp_path / "none.skops")
    assert result.exit_code == 2 and "model file not found" in result.output
    assert "Traceback" not in result.output


def test_a_skops_model_loads_without_trust_and_a_pickle_needs_it(small_model, seed_path,
                                                                  tmp_path):
    import joblib

    path = small_model.save(tmp_path / "m.skops")
    assert run("tag", seed_path, "--out", tmp_path / "o", "--model", path).exit_code == 0
    pickle = tmp_path / "m.joblib"
    joblib.dump({"format": "lawgov_cls-model/2", "metadata": small_model.metadata,
                 "pipeline": small_model.pipeline}, pickle)
    result = run("tag", seed_path, "--out", tmp_path / "o2", "--model", pickle)
    assert result.exit_code == 2 and "--trust-model" in result.output
    assert run("tag", seed_path, "--out", tmp_path / "o3", "--model", pickle,
               "--trust-model").exit_code == 0


@pytest.fixture
def mixed_folder(seed_paths, tmp_path, random_bytes):
    """Good reports in several encodings and formats, and bad files of every kind."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    seed = seed_paths[1]
    text = seed.read_text(encoding="utf-8")
    clean = text.encode("gbk", "ignore").decode("gbk")
    (folder / "utf8.txt").write_text(clean, encoding="utf-8")
    (folder / "gbk.txt").write_bytes(clean.encode("gbk"))
    (folder / "utf16.txt").write_bytes(clean.encode("utf-16"))
    (folder / "bom.txt").write_bytes(b"\xef\xbb\xbf" + clean.encode("utf-8"))
    sub = folder / "sub"
    sub.mkdir()
    (sub / "report.docx").write_bytes(make_docx(clean.splitlines()))
    (sub / "page.html").write_bytes(make_html([l for l in clean.splitlines() if l.strip()]))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "garbage.txt").write_bytes(random_bytes)
    (folder / "truncated.docx").write_bytes(make_docx(clean.splitlines())[:3000])
    (folder / "notes.xyz").write_text("reported: unsupported extension in a folder")
    (folder / "~$report.docx").write_bytes(b"lock file")
    return folder


def test_batch_with_bad_files_tags_the_good_ones_and_lists_the_bad(mixed_folder, tmp_path):
    out = tmp_path / "out"
    before = {p: p.read_bytes() for p in mixed_folder.rglob("*") if p.is_file()}
    result = run("tag", mixed_folder, "--out", out, "--quiet")
    assert result.exit_code == 1
    errors = pd.read_csv(out / "errors.csv")
    assert sorted(errors["path"].map(lambda p: p.split("/")[-1])) == [
        "empty.txt", "garbage.txt", "notes.xyz", "truncated.docx"]
    assert errors["reason"].str.len().gt(0).all()
    paragraphs = pd.read_csv(out / "paragraphs.csv", keep_default_na=False)
    docs = sorted(paragraphs["doc"].unique())
    assert docs == ["bom.txt", "gbk.txt", "sub/page.html", "sub/report.docx", "utf16.txt", "utf8.txt"]
    reference = paragraphs[paragraphs["doc"] == "utf8.txt"][["text", "label"]].reset_index(drop=True)
    for doc in ["bom.txt", "gbk.txt", "utf16.txt", "sub/report.docx"]:
        same = paragraphs[paragraphs["doc"] == doc][["text", "label"]].reset_index(drop=True)
        assert same.equals(reference), doc
    # The HTML page holds the same article; its paragraphs are labelled the same.
    html = paragraphs[paragraphs["doc"] == "sub/page.html"]
    body = paragraphs[(paragraphs["doc"] == "utf8.txt")]
    assert set(html["text"]) <= set(body["text"])
    assert before == {p: p.read_bytes() for p in mixed_folder.rglob("*") if p.is_file()}

    coverage = pd.read_csv(out / "coverage.csv", keep_default_na=False).set_index("doc")
    for doc, group in paragraphs.groupby("doc"):
        body = group[group["furniture"].astype(str) == "False"]
        assert coverage.loc[doc, "paragraphs"] == len(body)
        for label in TASK_LABELS:
            assert coverage.loc[doc, f"n_{label}"] == (body["label"] == label).sum()
            missing = coverage.loc[doc, "missing"].split(";")
            assert (label in missing) == ((body["label"] == label).sum() == 0)


def test_jobs_2_gives_the_same_output_as_jobs_1(seed_paths, tmp_path):
    for jobs in (1, 2):
        assert run("tag", seed_paths[0].parent, "--out", tmp_path / f"j{jobs}", "--jobs", jobs,
                   "--quiet").exit_code == 0
    assert ((tmp_path / "j1" / "paragraphs.csv").read_bytes()
            == (tmp_path / "j2" / "paragraphs.csv").read_bytes())


@pytest.mark.parametrize("fmt", ["jsonl", "xlsx"])
def test_other_formats(seed_path, tmp_path, fmt):
    out = tmp_path / "out"
    assert run("tag", seed_path, "--out", out, "--format", fmt, "--quiet").exit_code == 0
    csv_out = tmp_path / "csv"
    run("tag", seed_path, "--out", csv_out, "--quiet")
    expected = pd.read_csv(csv_out / "paragraphs.csv", keep_default_na=False)
    if fmt == "jsonl":
        lines = (out / "paragraphs.jsonl").read_text(encoding="utf-8").splitlines()
        got = pd.DataFrame([json.loads(l) for l in lines])
    else:
        from openpyxl import load_workbook

        book = load_workbook(out / "results.xlsx", read_only=True)
        rows = list(book["paragraphs"].values)
        book.close()  # a read-only workbook keeps its file open until closed
        got = pd.DataFrame(rows[1:], columns=rows[0])
        assert load_workbook(out / "results.xlsx")["paragraphs"].column_dimensions["D"].width >= 60
    assert got["text"].tolist() == expected["text"].tolist()
    assert got["label"].tolist() == expected["label"].tolist()


def test_coverage_command_writes_only_coverage(seed_paths, tmp_path):
    out = tmp_path / "cov"
    result = run("coverage", *seed_paths, "--out", out)
    assert result.exit_code == 0
    assert not (out / "paragraphs.csv").exists()
    by_label = pd.read_csv(out / "coverage_by_label.csv")
    assert by_label["label"].tolist() == list(TASK_LABELS)
    assert (by_label["reports_covering"] + by_label["reports_missing"] == len(seed_paths)).all()


def test_python_dash_m_works_outside_the_repository(seed_path, tmp_path):
    """Run the installed package from elsewhere: the model and dictionary must be found."""
    report = tmp_path / "r.txt"
    shutil.copy(seed_path, report)
    result = subprocess.run([sys.executable, "-m", "lawgov_cls", "tag", "r.txt", "--out", "o"],
                            cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert len(pd.read_csv(tmp_path / "o" / "paragraphs.csv")) > 10
