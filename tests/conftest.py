"""Shared fixtures: the seed reports, the bundled model, a small training corpus."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    return SEEDS


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """A seed with page furniture, headings at two levels and a signature."""
    return ROOT / "seeds" / "000_61e82024cf361030.txt"


@pytest.fixture(scope="session")
def model():
    from lawgov_cls import load_model

    return load_model()


@pytest.fixture(scope="session")
def corpus():
    from lawgov_cls.corpus import load_corpus

    return load_corpus()


@pytest.fixture(scope="session")
def small_corpus(corpus):
    """Two seed reports plus a slice of authored rows: fast to train on, every label present."""
    seeds = corpus[corpus["doc"].isin([p.name for p in SEEDS[:2]])]
    authored = corpus[corpus["source"] == "authored"].groupby("label").head(15)
    return pd.concat([seeds, authored], ignore_index=True)


@pytest.fixture(scope="session")
def small_model(small_corpus):
    from lawgov_cls import train_model

    return train_model(small_corpus, data_sha256="test")


def make_docx(lines: list[str], table_rows: list[list[str]] | None = None, table_after: int = 0) -> bytes:
    """A .docx with one paragraph per line and, optionally, a table after line ``table_after``."""
    import docx

    document = docx.Document()
    for i, line in enumerate(lines):
        document.add_paragraph(line)
        if table_rows and i == table_after:
            table = document.add_table(rows=len(table_rows), cols=len(table_rows[0]))
            for r, row in enumerate(table_rows):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_html(lines: list[str], charset: str = "utf-8") -> bytes:
    """A government-style page: navigation, breadcrumb, share bar, footer around the article."""
    body = "\n".join(f"<p>{line}</p>" for line in lines)
    page = f"""<!DOCTYPE html><html><head><meta charset="{charset}"><title>报告</title>
<style>.x{{color:red}}</style><script>var nav = "首页";</script></head><body>
<div class="nav"><a href="/">首页</a> | <a href="/news">新闻中心</a> | <a href="/gk">政务公开</a></div>
<div class="breadcrumb">您的位置：首页 &gt; 政务公开 &gt; 法治政府建设</div>
<div class="content">{body}</div>
<div class="share">分享到：微信 微博</div>
<div id="footer">主办单位：某某县人民政府办公室 网站标识码：5100000000 蜀ICP备00000000号</div>
</body></html>"""
    return page.encode(charset)


@pytest.fixture
def random_bytes() -> bytes:
    rng = random.Random(1)
    return bytes(rng.randrange(256) for _ in range(4096))


# --- hostile inputs (tests/test_hostile.py) ---------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.'
                  b'org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
                  b'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType'
                  b'="application/xml"/><Override PartName="/word/document.xml" ContentType="application'
                  b'/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
         b'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxml'
         b'formats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
         b'</Relationships>')


def docx_paragraphs(*texts: str) -> str:
    """WordprocessingML paragraphs, one per text."""
    return "".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in texts)


def write_raw_docx(path: Path, body, prolog: str = "") -> Path:
    """A .docx whose body XML is ``body`` (a string, or an iterable of byte chunks streamed
    into the zip, so that a large inflated document costs little memory to make)."""
    import zipfile

    head = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
            f'<w:document xmlns:w="{W_NS}" xmlns:mc="http://schemas.openxmlformats.org/'
            f'markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/'
            f'2010/wordprocessingShape"><w:body>').encode()
    tail = b"</w:body></w:document>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as out:
            out.write(head)
            for chunk in ([body.encode()] if isinstance(body, str) else body):
                out.write(chunk)
            out.write(tail)
    return path


def make_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a text layer (ASCII lines, Helvetica)."""
    content = "BT /F1 12 Tf 72 760 Td 14 TL " + " ".join(
        f"({l.replace('(', '[').replace(')', ']')}) '" for l in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{obj}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def make_gov_page(lines: list[str], charset: str = "utf-8", body_attrs: str = "",
                  wrapper: str = "main") -> str:
    """A government page as CMS templates make them: navigation, breadcrumb, 来源 line,
    the article, a share bar, a sidebar of 相关文章 links and a footer."""
    related = "".join(f'<li><a href="/a/{i}.html">某某县{t}</a></li>' for i, t in enumerate(
        ["2022年度法治政府建设情况报告", "召开述法工作会议", "开展八五普法中期检查",
         "举办领导干部学法专题讲座", "公布行政执法主体名单"]))
    article = "".join(f"<p>{l}</p>" for l in lines)
    return f"""<!DOCTYPE html><html><head><meta charset="{charset}"><title>报告</title></head>
<body {body_attrs}><div class="{wrapper}"><div class="nav"><a href="/">首页</a><a href="/gk">政务公开</a>
<a href="/xw">新闻中心</a></div><div class="position">您的位置：首页 &gt; 政务公开</div>
<div class="con-left"><div class="article"><div class="info">来源：某某县司法局 发布时间：2024-01-25</div>
{article}</div><div class="bdshare">分享到：微信 微博</div></div>
<div class="con-right"><h3>相关文章</h3><ul>{related}</ul></div>
<div id="footer">版权所有：某某县人民政府 蜀ICP备05001234号</div></div></body></html>"""


# --- outputs an analyst opens (tests/test_outputs.py, tests/test_browser.py) ------------------

#: Paragraphs no output may run or load: markup, a formula, an external image, an entity.
HOSTILE_LINES = [
    "某县2023年度法治政府建设情况报告",
    "<script>alert('x')</script>深化行政执法体制改革,推行行政执法三项制度。",
    "=HYPERLINK(\"http://example.invalid/\",\"点击\")推进政务公开。",
    "<img src=\"http://example.invalid/p.png\">办理行政复议案件12件。",
    "&amp; &lt;b&gt; 一、组织开展领导干部学法。",
]


@pytest.fixture(scope="session")
def hostile_report(tmp_path_factory) -> Path:
    """A report whose text holds markup, a formula and external references."""
    folder = tmp_path_factory.mktemp("hostile_in")
    path = folder / "<b>evil<i>.txt"  # the name too is markup
    path.write_text("\n".join(HOSTILE_LINES), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def xlsx_run(tmp_path_factory, hostile_report):
    """The seeds and the hostile report tagged once into --format xlsx: (out folder, CLI output)."""
    from click.testing import CliRunner

    from lawgov_cls.cli import cli

    out = tmp_path_factory.mktemp("xlsx_run") / "out"
    result = CliRunner().invoke(cli, ["tag", str(SEEDS[0].parent), str(hostile_report),
                                      "--out", str(out), "--format", "xlsx"])
    assert result.exit_code == 0, result.output
    return out, result.output
