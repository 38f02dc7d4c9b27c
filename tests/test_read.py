"""Reading reports as they arrive: encodings, docx, html, pdf, and bad files."""

from __future__ import annotations

import codecs

import pytest

from conftest import make_docx, make_html
from lawgov_cls.read import ReportError, normalize_text, read_report
from lawgov_cls.segment import split_paragraphs


def _texts(path):
    return [p.text for p in split_paragraphs(read_report(path))]


@pytest.mark.parametrize("encoding, bom", [
    ("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("gbk", b""), ("gb18030", b""),
    ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
])
def test_every_encoding_gives_the_same_paragraphs(seed_paths, tmp_path, encoding, bom):
    for seed in seed_paths:
        # GBK lacks a few symbols of the web pages (©, no-break space): compare the
        # encoded file with the same characters saved as UTF-8.
        text = seed.read_text(encoding="utf-8").encode(encoding, "ignore").decode(encoding)
        reference = tmp_path / f"{seed.stem}.reference.txt"
        reference.write_text(text, encoding="utf-8")
        converted = tmp_path / f"{seed.stem}.{encoding}.txt"
        converted.write_bytes(bom + text.encode(encoding))
        assert _texts(converted) == _texts(reference), (seed.name, encoding)


def test_crlf_line_ends_read_like_lf(seed_path, tmp_path):
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(seed_path.read_bytes().replace(b"\n", b"\r\n"))
    assert _texts(crlf) == _texts(seed_path)


def test_reading_never_modifies_the_input(seed_path, tmp_path):
    copy = tmp_path / "copy.txt"
    copy.write_bytes(seed_path.read_bytes())
    before = copy.stat().st_mtime_ns, copy.read_bytes()
    read_report(copy)
    assert (copy.stat().st_mtime_ns, copy.read_bytes()) == before


def test_normalize_text_unifies_full_and_half_width():
    assert normalize_text("（一）加强领导，落实责任：") == normalize_text("(一)加强领导,落实责任:")
    assert normalize_text("a\u00a0\u3000 b") == "a b"
    assert normalize_text("㈠學習") == "(一)學習"  # traditional characters are left alone


def test_docx_gives_the_same_paragraphs_as_text(seed_path, tmp_path):
    lines = seed_path.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "seed.docx"
    path.write_bytes(make_docx(lines))
    assert _texts(path) == _texts(seed_path)


def test_docx_table_cells_come_in_document_order(tmp_path):
    path = tmp_path / "table.docx"
    path.write_bytes(make_docx(["一、行政复议工作", "2023年办理情况如下。", "二、下一步打算"],
                               table_rows=[["收案", "结案"], ["12件", "11件"]], table_after=1))
    assert _texts(path) == ["一、行政复议工作", "2023年办理情况如下。", "收案", "结案", "12件",
                            "11件", "二、下一步打算"]


@pytest.mark.parametrize("charset", ["utf-8", "gbk"])
def test_html_keeps_the_article_and_drops_navigation(seed_path, tmp_path, charset):
    body = [p.text for p in split_paragraphs(read_report(seed_path)) if not p.furniture]
    path = tmp_path / "page.html"
    path.write_bytes(make_html(body, charset))
    texts = _texts(path)
    assert texts == body
    joined = "\n".join(texts)
    for leaked in ("新闻中心", "您的位置", "分享到", "ICP备", "var nav"):
        assert leaked not in joined


def test_pdf_without_text_layer_is_refused(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "scan.pdf"
    with open(path, "wb") as f:
        writer.write(f)
    with pytest.raises(ReportError, match="no text layer"):
        read_report(path)


def test_encrypted_pdf_is_refused(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("secret")
    path = tmp_path / "locked.pdf"
    with open(path, "wb") as f:
        writer.write(f)
    with pytest.raises(ReportError, match="encrypted"):
        read_report(path)


@pytest.mark.parametrize("name, content, reason", [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b" \n\r\n\t ", "empty file"),
    ("garbage.txt", None, "binary|not text"),
    ("report.doc", b"old word file", "unsupported file type"),
    ("broken.docx", b"PK\x03\x04 not really a zip", "not a readable .docx"),
    ("broken.pdf", b"%PDF-1.4 garbage", "not a readable PDF|no text layer"),
])
def test_bad_files_raise_a_clear_error_naming_the_file(tmp_path, random_bytes, name, content, reason):
    path = tmp_path / name
    path.write_bytes(random_bytes if content is None else content)
    with pytest.raises(ReportError, match=reason) as info:
        read_report(path)
    assert str(path) in str(info.value)


def test_truncated_docx_is_refused(seed_path, tmp_path):
    data = make_docx(seed_path.read_text(encoding="utf-8").splitlines())
    path = tmp_path / "truncated.docx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ReportError, match="not a readable .docx"):
        read_report(path)


def test_oversized_file_is_refused_before_reading(seed_path, tmp_path):
    with pytest.raises(ReportError, match="over the"):
        read_report(seed_path, max_bytes=1000)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(ReportError, match="file not found"):
        read_report(tmp_path / "nope.txt")
