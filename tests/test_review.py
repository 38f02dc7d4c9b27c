"""Correct and retrain: selection, the review workbook, add-labels, the loop through the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import SEEDS
from lawgov_cls.cli import cli
from lawgov_cls.corpus import CorpusError, load_corpus, merge_reviewed, write_corpus
from lawgov_cls.labels import DESCRIPTIONS, LABELS
from lawgov_cls.review import (REVIEW_COLUMNS, ReviewError, read_review_workbook,
                               select_for_review, write_review_workbook)


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def _tagged(rows):
    """A tagged table from (doc, para, text, furniture, probability of 职能, of 决策)."""
    out = []
    for doc, para, text, furniture, p0, p1 in rows:
        rest = (1 - p0 - p1) / (len(LABELS) - 2)
        proba = [p0, p1] + [rest] * (len(LABELS) - 2)
        out.append({"doc": doc, "para": para, "heading": "", "text": text,
                    "label": LABELS[int(np.argmax(proba))], "confidence": max(proba),
                    "evidence": "", "furniture": furniture,
                    **{f"p_{l}": p for l, p in zip(LABELS, proba)}})
    return pd.DataFrame(out)


BODY = "推进行政执法三项制度落实"


def test_selection_takes_the_closest_calls_of_every_report_in_turn():
    tagged = _tagged([
        ("a", 0, BODY, False, 0.45, 0.44),  # margin 0.01
        ("a", 1, BODY, False, 0.50, 0.40),  # 0.10
        ("a", 2, BODY, False, 0.48, 0.46),  # 0.02
        ("a", 3, BODY, False, 0.90, 0.05),
        ("b", 0, BODY, False, 0.60, 0.30),  # 0.30
        ("b", 1, BODY, False, 0.80, 0.10),
        ("c", 0, "来源:县司法局", True, 0.40, 0.40),  # furniture: never
        ("c", 1, "2020312", False, 0.40, 0.40),  # no letters: never
        ("c", 2, "一、总体", False, 0.40, 0.40),  # four letters: too short
    ])
    picked = select_for_review(tagged, n=3)
    # a's two closest calls and b's closest: b takes its turn although a has closer ones.
    assert list(zip(picked["doc"], picked["para"])) == [("a", 0), ("a", 2), ("b", 0)]
    assert picked["margin"].round(2).tolist() == [0.01, 0.02, 0.3]
    assert picked["label_2"].tolist() == ["决策"] * 3
    assert select_for_review(tagged, n=3).equals(picked)  # deterministic
    assert len(select_for_review(tagged, n=100)) == 6  # every candidate, no more
    assert select_for_review(tagged, n=1)[["doc", "para"]].values.tolist() == [["a", 0]]


def test_selection_spreads_over_reports():
    rows = [(f"r{d}", p, BODY, False, 0.5 - 0.001 * p - 0.1 * d, 0.3) for d in range(4)
            for p in range(30)]
    picked = select_for_review(_tagged(rows), n=10)
    counts = picked["doc"].value_counts()
    assert len(counts) == 4 and counts.max() <= int(np.ceil(10 / 4))


@pytest.fixture
def picked():
    texts = ["=HYPERLINK(\"http://x\",\"点我\")", "+86 推进依法行政", "-1 落实执法责任制",
             "@所有人 开展普法宣传", "深化放管服改革优化营商环境"]
    return select_for_review(_tagged([("sub/a.txt", i, t, False, 0.5, 0.3)
                                      for i, t in enumerate(texts)]), n=10)


def _fill(path, values: dict[int, tuple[str | None, str | None]]):
    """Fill label_corrected/also of sheet rows (row number → (label, also))."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheet = book["review"]
    label_col = REVIEW_COLUMNS.index("label_corrected") + 1
    for row, (label, also) in values.items():
        sheet.cell(row=row, column=label_col, value=label)
        sheet.cell(row=row, column=label_col + 1, value=also)
    book.save(path)


def test_workbook_keeps_text_as_text_and_offers_the_labels(picked, tmp_path):
    from openpyxl import load_workbook

    path = write_review_workbook(picked, tmp_path / "r.xlsx")
    book = load_workbook(path)
    sheet = book["review"]
    header = [c.value for c in sheet[1]]
    assert header == REVIEW_COLUMNS
    text_col = header.index("text")
    cells = [row[text_col] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == picked["text"].tolist()
    assert all(c.data_type == "s" for c in cells)  # never a formula
    [choose] = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert choose.formula1.strip('"').split(",") == list(LABELS)
    assert str(choose.sqref) == f"J2:J{len(picked) + 1}"
    definitions = {r[0]: r[1] for r in book["labels"].iter_rows(values_only=True)}
    assert all(definitions[l] == DESCRIPTIONS[l] for l in LABELS)
    # One line per boundary rule of the guidelines, all of them.
    guidelines = (Path(__file__).parent.parent / "data" / "GUIDELINES.md").read_text("utf-8")
    rules = re.findall(r"^### Rule (\d+)", guidelines, flags=re.M)
    assert [k for k in definitions if str(k).isdigit()] == rules
    assert not list(tmp_path.glob(".*tmp"))


def test_a_filled_workbook_reads_back_as_corpus_rows(picked, tmp_path):
    path = write_review_workbook(picked, tmp_path / "r.xlsx")
    _fill(path, {2: ("决策", None), 3: (" 执法 ", "监督；能力"), 5: ("化解纠纷", "")})
    rows, empty = read_review_workbook(path)
    assert empty == 2
    assert rows["doc"].tolist() == ["reviewed/sub/a.txt"] * 3
    assert rows["para"].tolist() == [0, 1, 3]
    assert rows["text"].tolist() == picked["text"].iloc[[0, 1, 3]].tolist()
    assert rows["label"].tolist() == ["决策", "执法", "化解纠纷"]
    assert rows["also"].tolist() == ["", "监督;能力", ""]
    assert (rows["source"] == "reviewed").all()


@pytest.mark.parametrize("label, also, message", [
    ("杂项", None, "label_corrected '杂项' is not one of"),
    ("执法", "其他", "also may not hold 其他"),
    ("执法", "执法", "also repeats the label"),
    ("执法", "监督;司法", "also '司法' is not a label"),
    (None, "监督", "label_corrected is empty"),
    ("=A1", None, "formula"),
])
def test_a_bad_row_is_named_by_its_row_number(picked, tmp_path, label, also, message):
    path = write_review_workbook(picked, tmp_path / "r.xlsx")
    _fill(path, {2: ("决策", None), 4: (label, also)})
    with pytest.raises(ReviewError) as info:
        read_review_workbook(path)
    [problem] = info.value.problems
    assert problem.startswith("row 4: ") and message in problem


@pytest.mark.parametrize("name", ["x.xlsx", "x.xls"])
def test_a_file_that_is_not_a_review_workbook_is_refused(tmp_path, name):
    (tmp_path / name).write_bytes(b"not a zip")
    with pytest.raises(ReviewError, match="not a readable"):
        read_review_workbook(tmp_path / name)
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["a", "b"])
    book.save(tmp_path / "other.xlsx")
    with pytest.raises(ReviewError, match="no column"):
        read_review_workbook(tmp_path / "other.xlsx")


def _reviewed(doc, para, text, label, also=""):
    return {"doc": doc, "para": para, "text": text, "label": label, "also": also,
            "source": "reviewed", "heading": ""}


def test_merge_replaces_earlier_reviews_and_skips_known_text(small_corpus):
    known = small_corpus["text"].iloc[0]
    first = pd.DataFrame([_reviewed("reviewed/a.txt", 0, "甲段落内容", "执法"),
                          _reviewed("reviewed/a.txt", 1, "乙段落内容", "监督")])
    merged = merge_reviewed(small_corpus, first)
    assert (merged.added, merged.replaced, merged.skipped) == (2, 0, 0)
    again = pd.DataFrame([_reviewed("reviewed/a.txt", 1, "乙段落内容", "决策", "监督"),
                          _reviewed("reviewed/b.txt", 0, known, "其他")])
    second = merge_reviewed(merged.corpus, again)
    assert (second.added, second.replaced, second.skipped) == (0, 1, 1)
    reviewed = second.corpus[second.corpus["source"] == "reviewed"]
    assert reviewed[["para", "label", "also"]].values.tolist() == [[0, "执法", ""],
                                                                  [1, "决策", "监督"]]
    assert len(second.corpus) == len(small_corpus) + 2
    held_out = merge_reviewed(small_corpus, first, held_out=["乙段落内容"])
    assert (held_out.added, held_out.skipped) == (1, 1)  # the dev set is never trained on
    seed = small_corpus.iloc[0]
    with pytest.raises(CorpusError, match="source 'reviewed'"):
        merge_reviewed(small_corpus, pd.DataFrame([{**_reviewed(seed.doc, seed.para, "新", "执法"),
                                                    "source": "seed"}]))
    with pytest.raises(CorpusError, match="seed or authored"):
        merge_reviewed(small_corpus, pd.DataFrame([_reviewed(seed.doc, int(seed.para), "新内容",
                                                             "执法")]))


@pytest.fixture(scope="module")
def tiny_corpus(small_corpus):
    """Two seed reports and an authored row per document and label (every label, more
    authored documents than cross-validation folds): quick to train and evaluate."""
    authored = small_corpus[small_corpus["source"] == "authored"].groupby(["doc", "label"]).head(1)
    return pd.concat([small_corpus[small_corpus["source"] == "seed"], authored],
                     ignore_index=True)


@pytest.fixture
def checkout(tiny_corpus, small_model, tmp_path):
    """A corpus file and a saved model in tmp_path, never the repository's files."""
    data = tmp_path / "data" / "paragraphs.csv"
    data.parent.mkdir()
    write_corpus(tiny_corpus, data)
    return data, small_model.save(tmp_path / "m.skops")


def test_the_whole_loop_through_the_cli(checkout, corpus, tiny_corpus, tmp_path):
    data, model_path = checkout
    reports = [SEEDS[2], SEEDS[4]]  # not in the small corpus
    book = tmp_path / "review.xlsx"
    result = run("review", *reports, "--out", book, "--n", 8, "--model", model_path)
    assert result.exit_code == 0, result.output
    assert "picked 8 of" in result.output and "from 2 of 2 reports" in result.output

    rows = pd.read_excel(book, sheet_name="review", dtype=str)
    truth = corpus.set_index(["doc", "para"])
    fill = {i + 2: (truth.loc[(r.doc, int(r.para)), "label"],
                    truth.loc[(r.doc, int(r.para)), "also"]) for i, r in enumerate(rows.itertuples())}
    _fill(book, fill)
    result = run("add-labels", book, "--data", data)
    assert result.exit_code == 0, result.output
    after = load_corpus(data)
    reviewed = after[after["source"] == "reviewed"]
    added = len(reviewed)
    assert 0 < added <= 8 and f"added {added} reviewed rows" in result.output
    assert set(reviewed["doc"]) <= {f"reviewed/{p.name}" for p in reports}
    for r in reviewed.itertuples():
        original = truth.loc[(r.doc.removeprefix("reviewed/"), r.para)]
        assert (r.text, r.label, r.also, r.heading) == (original.text, original.label,
                                                         original.also, original.heading)

    # The same workbook again: replaced, not duplicated.
    result = run("add-labels", book, "--data", data)
    assert result.exit_code == 0 and f"replaced {added}" in result.output
    assert load_corpus(data).equals(after)

    models = tmp_path / "mine"
    result = run("train", "--data", data, "--models", models, "--quiet")
    assert result.exit_code == 0, result.output
    metrics = json.loads((models / "metrics.json").read_text(encoding="utf-8"))
    # Reviewed documents are real report text: leave-one-report-out folds of their own.
    assert metrics["counts"]["real_documents"] == 2 + reviewed["doc"].nunique()
    assert metrics["counts"]["real_paragraphs"] == (tiny_corpus["source"] == "seed").sum() + added

    new_model = models / "lawgov_cls.skops"
    result = run("tag", SEEDS[0], "--out", tmp_path / "out", "--model", new_model, "--quiet")
    assert result.exit_code == 0, result.output  # no --trust-model: skops runs no code
    from lawgov_cls import load_model

    assert load_model(new_model).metadata["n_train_by_source"]["reviewed"] == added


def test_a_workbook_with_a_bad_label_changes_nothing(checkout, picked, tmp_path):
    data, _ = checkout
    before = data.read_bytes()
    book = write_review_workbook(picked, tmp_path / "r.xlsx")
    _fill(book, {2: ("决策", None), 3: ("执法部门", None), 5: ("其他", "其他")})
    result = run("add-labels", book, "--data", data)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert any("row 3:" in l and "执法部门" in l for l in lines)
    assert any("row 5:" in l for l in lines) and not any("row 2:" in l for l in lines)
    assert "nothing was added" in lines[-1] and "Traceback" not in result.output
    assert data.read_bytes() == before
    assert sorted(p.name for p in data.parent.iterdir()) == ["paragraphs.csv"]


def test_add_labels_skips_text_of_the_dev_set(checkout, picked, tmp_path):
    from lawgov_cls.review import add_labels

    data, _ = checkout
    dev = pd.DataFrame([_reviewed("dev/x.txt", 0, picked["text"].iloc[1], "执法")]).assign(
        source="dev")
    write_corpus(dev, data.parent / "dev.csv")
    book = write_review_workbook(picked, tmp_path / "r.xlsx")
    _fill(book, {2: ("决策", None), 3: ("执法", None)})
    result = add_labels(book, data)
    assert (result.added, result.skipped, result.empty) == (1, 1, 3)
    assert picked["text"].iloc[1] not in set(load_corpus(data)["text"])


def test_add_labels_outside_a_checkout_needs_data(picked, tmp_path, monkeypatch):
    book = write_review_workbook(picked, tmp_path / "r.xlsx")
    monkeypatch.chdir(tmp_path)
    result = run("add-labels", book)
    assert result.exit_code == 2 and "--data" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_review_refuses_to_overwrite_a_workbook_or_write_another_format(checkout, tmp_path):
    _, model_path = checkout
    book = tmp_path / "r.xlsx"
    book.write_bytes(b"an analyst's filled workbook")
    result = run("review", SEEDS[0], "--out", book, "--model", model_path)
    assert result.exit_code == 2 and "--force" in result.output
    assert book.read_bytes() == b"an analyst's filled workbook"
    result = run("review", SEEDS[0], "--out", tmp_path / "r.csv", "--model", model_path)
    assert result.exit_code == 2 and ".xlsx" in result.output
    result = run("review", SEEDS[0], "--out", book, "--model", model_path, "--force", "--n", 3)
    assert result.exit_code == 0 and len(pd.read_excel(book, sheet_name="review")) == 3


def test_review_goes_on_past_a_bad_file(checkout, tmp_path):
    _, model_path = checkout
    (tmp_path / "empty.txt").write_bytes(b"")
    book = tmp_path / "r.xlsx"
    result = run("review", tmp_path / "empty.txt", SEEDS[3], "--out", book, "--model", model_path)
    assert result.exit_code == 1
    assert "empty.txt" in result.output and book.exists()


def test_simulation_runs_on_small_data(tiny_corpus):
    from lawgov_cls.simulate import simulate_review

    table = simulate_review(tiny_corpus, SEEDS[0].parent, sizes=(5,), random_seeds=(0, 1))
    assert table["selection"].tolist() == ["none (first model)", "review rule",
                                           "random, mean ± sd of 2 seeds", "every pool paragraph"]
    assert table["corrected"].tolist()[:3] == [0, 5, 5]
    assert 0 < float(table.loc[0, "macro_f1_tasks"]) <= 1
    assert "±" in table.loc[2, "macro_f1_tasks"]
    assert table.loc[1, "first_model_wrong"].endswith("%")
    assert 0 <= int(table.loc[1, "errors_found"]) <= 10  # 5 picked in each of 2 folds


@pytest.mark.parametrize("command", ["review", "add-labels"])
def test_the_commands_have_help_with_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output and f"lawgov-cls {command}" in result.output
