"""What an analyst opens and pipes (issue 12): one workbook, report.html, the coverage rule,
standard input and output, --force, the terminal summary, the batch options object."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import HOSTILE_LINES
from lawgov_cls.cli import cli
from lawgov_cls.labels import TASK_LABELS

SHEETS = ["coverage", "coverage_by_label", "coverage_batch", "paragraphs", "errors"]


def run(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


# --- the workbook -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def book(xlsx_run):
    from openpyxl import load_workbook

    return load_workbook(xlsx_run[0] / "results.xlsx")


def header(sheet) -> list[str]:
    return [c.value for c in sheet[1]]


def column(sheet, name: str):
    return [row[0] for row in sheet.iter_rows(min_row=2, min_col=header(sheet).index(name) + 1,
                                              max_col=header(sheet).index(name) + 1)]


def test_one_workbook_with_a_sheet_per_table_and_nothing_else(xlsx_run, book):
    out, _ = xlsx_run
    assert book.sheetnames == SHEETS
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "results.xlsx"]
    assert [c for c in header(book["coverage"])][:6] == ["doc", "title", "issuer", "year",
                                                          "missing", "thin"]
    docs = [c.value for c in column(book["coverage"], "doc")]
    assert "(all reports)" not in docs and len(docs) == 6  # the batch has a sheet of its own
    assert book["coverage_batch"].max_row == 2


@pytest.mark.parametrize("name", SHEETS)
def test_every_sheet_has_bold_frozen_filtered_header_and_prints_landscape_one_page_wide(book, name):
    sheet = book[name]
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes in ("A2", "B2")
    assert sheet.auto_filter.ref.startswith("A1:")
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    # fitToWidth 1 is the file format's default, which openpyxl reads back as None.
    assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows in ("1:1", "$1:$1")  # the header on every printed page


def test_shares_are_percentages_with_a_colour_scale_and_missing_tasks_red(book):
    sheet = book["coverage"]
    names = header(sheet)
    missing = [c.value or "" for c in column(sheet, "missing")]
    for label in TASK_LABELS:
        for cell, miss in zip(column(sheet, f"share_{label}"), missing):
            assert isinstance(cell.value, (int, float)) and cell.number_format.endswith("0.0%")
            if label in miss.split(";"):  # marked "✗ 0.0%", red, whatever the colour scale does
                assert cell.number_format.startswith('"✗') and cell.font.b
                assert cell.fill.fgColor.rgb.endswith("F8CBAD")
    rules = {r.type for cf in sheet.conditional_formatting for r in cf.rules}
    assert {"colorScale", "cellIs"} <= rules
    first, last = names.index(f"share_{TASK_LABELS[0]}") + 1, names.index(f"share_{TASK_LABELS[-1]}") + 1
    scale = next(cf for cf in sheet.conditional_formatting
                 if any(r.type == "colorScale" for r in cf.rules))
    ((min_col, _, max_col, _),) = [(r.min_col, r.min_row, r.max_col, r.max_row) for r in scale.sqref.ranges]
    assert (min_col, max_col) == (first, last)
    for cell, miss in zip(column(sheet, "missing"), missing):
        if miss:
            assert cell.fill.fgColor.rgb.endswith("F8CBAD")
    assert book["coverage_by_label"]["C2"].number_format == "0.0%"


def test_booleans_are_true_false_everywhere_and_text_wraps(book):
    sheet = book["paragraphs"]
    names = header(sheet)
    for name in ("review", "furniture"):
        cells = column(sheet, name)
        assert {type(c.value) for c in cells} == {bool}
        # LibreOffice shows a boolean by its number format: TRUE/FALSE, as Excel does.
        assert all(c.number_format == '"TRUE";"TRUE";"FALSE"' for c in cells)
    text = column(sheet, "text")
    assert all(c.alignment.wrap_text for c in text)
    long_rows = [c.row for c in text if len(c.value) > 200]
    assert long_rows and all(sheet.row_dimensions[r].height > 30 for r in long_rows)
    assert sheet.column_dimensions["D"].width >= 60
    # The probability columns are grouped and folded away (out of print, one click to show).
    p_column = sheet.column_dimensions[chr(ord("A") + names.index("p_职能"))]
    assert p_column.outlineLevel == 1 and p_column.hidden


def test_no_cell_is_a_formula_and_hostile_text_is_kept_as_text(xlsx_run, book):
    with zipfile.ZipFile(xlsx_run[0] / "results.xlsx") as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                data = archive.read(name)
                assert b"<f>" not in data and b"<f " not in data, name
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(c.data_type != "f" for c in row)
    texts = [c.value for c in column(book["paragraphs"], "text")]
    for line in HOSTILE_LINES[1:3]:
        assert line in texts


# --- report.html ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def page(xlsx_run):
    import lxml.html

    text = (xlsx_run[0] / "report.html").read_text(encoding="utf-8")
    return text, lxml.html.document_fromstring(text)


def test_report_html_loads_nothing_and_runs_nothing(page):
    text, doc = page
    assert not doc.xpath("//script | //link | //img | //iframe | //object | //embed | //base")
    assert not re.search(r"""(src|href|action)\s*=\s*["']?\s*(https?:|//|javascript:)""", text, re.I)
    assert "@import" not in text and not re.search(r"url\(", text)
    assert not doc.xpath("//@*[starts-with(name(), 'on')]")  # no event handlers


def test_report_text_is_shown_escaped(page):
    text, doc = page
    shown = doc.text_content()
    for line in HOSTILE_LINES[1:]:
        assert line in shown  # as text, characters and all
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in text
    assert "&lt;b&gt;evil&lt;i&gt;.txt" in text  # the file name too


def test_heatmap_has_a_row_per_report_with_missing_tasks_marked(page, book):
    _, doc = page
    coverage = book["coverage"]
    docs = [c.value for c in column(coverage, "doc")]
    missing = [c.value or "" for c in column(coverage, "missing")]
    rows = doc.xpath("//table[@class='heatmap']/tbody/tr")
    assert [r.xpath("string(th[@class='doc'])") for r in rows] == docs
    tasks = [t.strip() for t in doc.xpath("//table[@class='heatmap']/thead//th[@class='task']//text()")]
    assert tasks == list(TASK_LABELS)
    for row, miss in zip(rows, missing):
        cells = row.xpath("td[contains(@class, 'cell')]")
        marked = [t for t, c in zip(TASK_LABELS, cells) if "miss" in c.get("class")]
        assert marked == [t for t in TASK_LABELS if t in miss.split(";")]
        assert all(c.text_content().startswith("✗") for c in cells if "miss" in c.get("class"))


def test_every_link_reaches_its_target_and_sections_link_back(page):
    _, doc = page
    ids = set(doc.xpath("//@id"))
    links = doc.xpath("//a/@href")
    assert links and all(h.startswith("#") and h[1:] in ids for h in links)
    sections = doc.xpath("//section[@class='report']")
    assert len(sections) == 6
    for section in sections:
        assert section.xpath(".//a[@href='#overview']")
        # Paragraphs coloured by label, each with its evidence for hover.
        paras = section.xpath(".//li[contains(@class, 'p ')]")
        assert paras and all(re.search(r"\bl[0-6]\b", p.get("class")) for p in paras)
        assert all(p.xpath("span[@class='ev']") for p in paras)
    cell_links = doc.xpath("//td[contains(@class,'cell') and not(contains(@class,'miss'))]/a/@href")
    assert all(re.fullmatch(r"#r\d+-p\d+", h) for h in cell_links)  # a task's first paragraph


def test_review_flag_is_shown_inline(model, seed_paths, tmp_path):
    from lawgov_cls import tag_batch

    result = tag_batch(model, seed_paths[:2], tmp_path / "o", review_threshold=0.99)
    html = (tmp_path / "o" / "report.html").read_text(encoding="utf-8")
    flagged = pd.read_csv(tmp_path / "o" / "paragraphs.csv")["review"].sum()
    assert flagged and html.count('<mark class="flag">review') == flagged
    assert result.outputs["report"] == tmp_path / "o" / "report.html"


def test_past_the_paragraph_budget_reports_get_a_row_but_no_paragraphs(model, seed_paths,
                                                                       tmp_path, monkeypatch):
    import lxml.html

    import lawgov_cls.report as report
    from lawgov_cls import tag_batch

    monkeypatch.setattr(report, "MAX_HTML_PARAGRAPHS", 60)
    tag_batch(model, seed_paths, tmp_path / "o", timeout=None)
    doc = lxml.html.parse(str(tmp_path / "o" / "report.html")).getroot()
    shown = doc.xpath("//section[@class='report'][.//li]")
    assert 0 < len(shown) < len(seed_paths)
    assert len(doc.xpath("//li[contains(@class, 'p ')]")) <= 60
    assert len(doc.xpath("//table[@class='heatmap']/tbody/tr")) == len(seed_paths)
    assert "not shown here" in doc.text_content()


# --- the coverage rule and the summary ------------------------------------------------------

@pytest.mark.parametrize("min_share, min_paragraphs", [(0.0, 1), (0.02, 1), (0.08, 3)])
def test_missing_follows_the_documented_rule(seed_paths, tmp_path, min_share, min_paragraphs):
    out = tmp_path / "o"
    result = run("coverage", *seed_paths, "--out", out, "--min-share", min_share,
                 "--min-paragraphs", min_paragraphs, "-q")
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "coverage.csv", keep_default_na=False)
    for _, row in table.iterrows():
        expected = [t for t in TASK_LABELS
                    if not (row[f"n_{t}"] >= min_paragraphs and row[f"share_{t}"] >= min_share)]
        assert (row["missing"].split(";") if row["missing"] else []) == expected
        thin = [t for t in expected if row[f"n_{t}"] > 0]
        assert (row["thin"].split(";") if row["thin"] else []) == thin


def test_the_defaults_are_documented_and_the_same_everywhere():
    from lawgov_cls import cli as cli_module
    from lawgov_cls.coverage import DEFAULT_MIN_PARAGRAPHS, DEFAULT_MIN_SHARE

    assert (cli_module.DEFAULT_MIN_SHARE, cli_module.DEFAULT_MIN_PARAGRAPHS) == (
        DEFAULT_MIN_SHARE, DEFAULT_MIN_PARAGRAPHS)
    help_text = " ".join(run("tag", "--help").output.split())
    assert "--min-share" in help_text and f"default: {DEFAULT_MIN_SHARE}" in help_text
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert "--min-share" in readme and "--min-paragraphs" in readme


def test_summary_names_the_reports_that_miss_tasks(xlsx_run, book):
    _, output = xlsx_run
    coverage = book["coverage"]
    missing = [(d.value, m.value) for d, m in zip(column(coverage, "doc"),
                                                  column(coverage, "missing")) if m.value]
    assert missing and f"reports missing a task: {len(missing)} of 6" in output
    for doc, tasks in missing:
        assert f"  {doc}: {tasks.replace(';', ' ')}" in output


# --- pipes --------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_stdin_to_stdout_gives_the_paragraph_table_and_nothing_else(seed_path, tmp_path, fmt):
    data = seed_path.read_text(encoding="utf-8").encode("gb18030")  # any encoding, as a .txt
    result = run("tag", "-", "--out", "-", "--format", fmt, input=data)
    assert result.exit_code == 0, result.stderr
    if fmt == "jsonl":
        got = pd.DataFrame([json.loads(line) for line in result.stdout.splitlines()])
    else:
        got = pd.read_csv(io.StringIO(result.stdout), keep_default_na=False)
    assert set(got["doc"]) == {"stdin"}
    run("tag", seed_path, "--out", tmp_path / "file", "-q")
    expected = pd.read_csv(tmp_path / "file" / "paragraphs.csv", keep_default_na=False)
    assert got["text"].tolist() == expected["text"].tolist()
    assert got["label"].tolist() == expected["label"].tolist()
    assert "tagged 1 of 1 files" in result.stderr  # the summary goes to stderr
    assert not list(tmp_path.glob("*.html"))


def test_coverage_to_stdout_and_stdin_with_files(seed_paths):
    data = seed_paths[0].read_bytes()
    result = run("coverage", "-", seed_paths[1], "--out", "-", "-q", input=data)
    assert result.exit_code == 0, result.stderr
    table = pd.read_csv(io.StringIO(result.stdout), keep_default_na=False)
    assert table["doc"].tolist() == ["stdin", seed_paths[1].name]
    assert result.stderr == ""


@pytest.mark.parametrize("args, message", [
    (["tag", "-", "--out", "-", "--format", "xlsx"], "not a workbook"),
    (["tag", "-", "-", "--out", "-"], "may be given once"),
])
def test_stdout_usage_errors_exit_2(args, message):
    result = run(*args, input=b"x")
    assert result.exit_code == 2 and message in result.output and result.stdout == ""


def test_empty_stdin_is_a_failed_input(tmp_path):
    result = run("tag", "-", "--out", "-", input=b"")
    assert result.exit_code == 1
    assert "error: stdin: empty file" in result.stderr


def test_a_pipe_through_head_ends_quietly(seed_paths, tmp_path):
    """The reader of --out - stops early: no traceback, the workers stopped."""
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(8):
        (folder / f"{i}.txt").write_bytes(seed_paths[i % len(seed_paths)].read_bytes())
    proc = subprocess.Popen([sys.executable, "-m", "lawgov_cls", "tag", str(folder), "--out", "-",
                             "--format", "jsonl", "-q"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    json.loads(proc.stdout.readline())  # one paragraph read, then the reader goes away
    proc.stdout.close()
    with proc.stderr:
        stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) in (0, 141), stderr
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr


# --- --force and the Python API ----------------------------------------------------------------

def test_force_replaces_the_previous_runs_outputs_and_nothing_else(seed_path, tmp_path):
    out = tmp_path / "o"
    assert run("tag", seed_path, "--out", out, "-q").exit_code == 0
    (out / "notes.txt").write_text("mine")
    (out / "paragraphs.csv.bak").write_text("mine too")
    assert run("tag", seed_path, "--out", out, "--format", "xlsx", "-q").exit_code == 2
    assert run("tag", seed_path, "--out", out, "--format", "xlsx", "-q", "--force").exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "paragraphs.csv.bak",
                                                     "report.html", "results.xlsx"]
    assert run("coverage", seed_path, "--out", out, "--format", "jsonl", "-q", "--force").exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "coverage.jsonl", "coverage_batch.jsonl", "coverage_by_label.jsonl", "errors.csv",
        "notes.txt", "paragraphs.csv.bak", "report.html"]


def test_tag_batch_takes_an_options_object_or_keywords(model, seed_path, tmp_path):
    from lawgov_cls import TagOptions, tag_batch

    options = TagOptions(fmt="jsonl", min_share=0.1, html=False, timeout=None)
    result = tag_batch(model, seed_path, tmp_path / "a", options)
    assert result.options.min_share == 0.1 and "report" not in result.outputs
    assert (tmp_path / "a" / "paragraphs.jsonl").is_file()
    again = tag_batch(model, seed_path, tmp_path / "b", options, fmt="csv", min_share=0.0)
    assert again.options.fmt == "csv" and again.options.html is False
    assert (tmp_path / "b" / "paragraphs.csv").is_file()
    stream = io.StringIO()
    tag_batch(model, seed_path, stream, fmt="jsonl", timeout=None)
    assert len(stream.getvalue().splitlines()) == result.paragraphs
    with pytest.raises(ValueError, match="unknown format"):
        TagOptions(fmt="pdf")
