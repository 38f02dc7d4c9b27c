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
