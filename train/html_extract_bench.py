"""Main-text extraction from government web pages: quality and time of the candidates.

    python train/html_extract_bench.py            # quality on 30 pages, time on hostile pages
    python train/html_extract_bench.py --quick    # skip the slow bs4 runs on big pages

Pages are generated from the seed reports' body paragraphs (the article, the gold text) in
six templates modelled on Chinese government CMS pages: navigation, breadcrumbs, 来源/发布时间
lines, share bars, sidebars with 相关文章/相关链接 link lists, 上一篇/下一篇, footers with
copyright and ICP numbers, table layouts, <br>-separated paragraphs, nested wrappers,
``<body id="top">`` and GB2312-declared pages holding characters only GBK has.

Quality is character precision and recall of the article at line level: an extracted line
counts as correct when it occurs in the gold article, a gold paragraph as found when it
occurs in the extracted text (both with whitespace removed). Time is measured on the same
pages and on hostile ones (deeply nested <div>s, an 8 MB flat page), each candidate in a
subprocess with a time limit.
"""

from __future__ import annotations

import argparse
import html
import multiprocessing
import re
import statistics
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TIME_LIMIT = 60.0  # seconds per candidate and hostile page

# --- pages ---------------------------------------------------------------------------

NAV = ("首页", "机构概况", "政务公开", "政务服务", "互动交流", "专题专栏", "新闻中心")
RELATED = ("关于印发《{0}2024年法治政府建设工作要点》的通知", "{0}召开2023年度述法工作会议",
           "{0}司法局开展“八五”普法中期检查", "{0}2022年度法治政府建设情况报告",
           "{0}举办领导干部学法专题讲座", "关于公布{0}行政执法主体的公告",
           "{0}开展行政复议工作规范化建设", "{0}2023年政府信息公开工作年度报告")
PLACE = "某某县"


def _related(title: str, heading_tag: str = "h3") -> str:
    items = "".join(f'<li><a href="/art/{i}.html">{t.format(PLACE)}</a><span>2024-0{i % 9 + 1}-12</span></li>'
                    for i, t in enumerate(RELATED))
    return f"<{heading_tag}>{title}</{heading_tag}><ul>{items}</ul>"


def _nav(cls: str = "nav") -> str:
    return f'<div class="{cls}"><ul>' + "".join(f'<li><a href="/c{i}">{n}</a></li>'
                                                 for i, n in enumerate(NAV)) + "</ul></div>"


_META = ('<div class="info">来源：{0}司法局　发布时间：2024-01-25 10:12　浏览次数：1024　'
         '字号：【大 中 小】</div>').format(PLACE)
_SHARE = '<div class="bdshare">分享到：<a>微信</a><a>微博</a><a>QQ空间</a></div>'
_PRINT = '<div class="tools"><a href="javascript:window.print()">【打印本页】</a><a>【关闭窗口】</a></div>'
_PREVNEXT = ('<div class="pn"><p>上一篇：<a href="/a/1.html">{0}召开安全生产工作会议</a></p>'
             '<p>下一篇：<a href="/a/2.html">{0}开展消防安全检查</a></p></div>').format(PLACE)
_FOOTER = ('<div id="footer"><p>主办：{0}人民政府办公室　承办：{0}大数据中心</p>'
           '<p>版权所有：{0}人民政府　网站标识码：5100000000　蜀ICP备05001234号-1</p>'
           '<p>联系电话：0838-1234567　地址：{0}人民路1号</p></div>').format(PLACE)


def _ps(lines):
    return "".join(f"<p>{html.escape(l)}</p>" for l in lines)


def page_modern(title, lines):
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>
<script>var a = "首页";</script><style>.x{{color:red}}</style></head><body>
<div class="header"><div class="logo">{PLACE}人民政府</div>{_nav()}</div>
<div class="position">当前位置：<a>首页</a> &gt; <a>政务公开</a> &gt; <a>法治政府建设</a></div>
<div class="main"><div class="article"><h1>{title}</h1>{_META}
<div class="TRS_Editor">{_ps(lines)}</div>{_SHARE}{_PRINT}{_PREVNEXT}</div>
<div class="sidebar">{_related("相关文章")}</div></div>{_FOOTER}</body></html>"""


def page_table_layout(title, lines):
    body = "<br>".join("　　" + html.escape(l) for l in lines)
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{title}</title></head><body>
<table width="1000" align="center"><tr><td>{_nav("menu")}</td></tr></table>
<table width="1000" align="center"><tr>
<td width="240" valign="top" class="left">{_related("相关链接", "div")}</td>
<td width="760" valign="top"><table width="100%"><tr><td class="title" align="center">{title}</td></tr>
<tr><td align="center">{_META}</td></tr>
<tr><td class="bt_content">{body}</td></tr></table></td></tr></table>
<table width="1000" align="center"><tr><td>{_FOOTER}</td></tr></table></body></html>"""


def page_top_wrappers(title, lines):
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>
<body id="top"><div class="top-wrap"><div id="container" class="wrap topbox">
{_nav("head-menu")}
<div class="crumbs">您的位置：首页 » 政务公开 » 法治政府</div>
<div class="con-left"><div class="content"><h2>{title}</h2>{_META}{_ps(lines)}</div></div>
<div class="con-right"><div class="r-box">{_related("相关文章", "h4")}</div>
<div class="r-box">{_related("热点推荐", "h4")}</div></div>
</div>{_FOOTER}</div></body></html>"""


def page_nested(title, lines, depth=40):
    open_, close = "<div class='w'>" * depth, "</div>" * depth
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>
{_nav()}{open_}<div class="list-con"><h1>{title}</h1>{_META}{open_}{_ps(lines)}{close}
{_SHARE}</div>{_related("相关阅读", "div")}{close}{_PREVNEXT}{_FOOTER}</body></html>"""


def page_spans(title, lines):
    body = "".join(f'<p style="text-indent:2em"><span style="font-family:仿宋"><font size="3">'
                   f'{html.escape(l[:len(l) // 2])}</font></span><span>{html.escape(l[len(l) // 2:])}'
                   f"</span></p>" for l in lines)
    return f"""<html><head><meta charset="utf-8"><title>{title}</title></head><body>
{_nav()}<div id="zoom" class="zoom">{body}</div><div class="xgwz">{_related("相关文章")}</div>
{_FOOTER}</body></html>"""


def page_gb2312(title, lines):
    # GB2312 lacks 镕 and €: a page declaring gb2312 but saved by a GBK editor holds them.
    lines = list(lines)
    lines[0] = lines[0] + "(朱镕基同志题词;捐赠€500)"
    page = page_modern(title, lines).replace('charset="utf-8"', 'charset="gb2312"')
    # Python's gbk codec lacks cp936's euro sign at byte 0x80: put it in by hand.
    return b"\x80".join(part.encode("gbk") for part in page.split("\u20ac")), lines


TEMPLATES = {"modern": page_modern, "table layout": page_table_layout,
             "body id=top, top-wrap": page_top_wrappers, "40 nested wrappers": page_nested,
             "span/font paragraphs": page_spans, "gb2312 with GBK-only chars": page_gb2312}


def gold_articles():
    from lawgov_cls.read import read_report
    from lawgov_cls.segment import split_paragraphs

    articles = []
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        paras = [p for p in split_paragraphs(read_report(seed)) if not p.furniture]
        title = paras[0].text if paras[0].is_heading else "法治政府建设情况报告"
        body = [p.text for p in paras if p.text != title]
        articles.append((seed.name, title, body))
    return articles


def quality_pages():
    pages = []
    for name, title, body in gold_articles():
        for tname, make in TEMPLATES.items():
            made = make(title, body)
            data, lines = made if isinstance(made, tuple) else (made.encode("utf-8"), body)
            pages.append((name, tname, data, [title] + lines))
    return pages


def hostile_pages():
    para = "<p>" + "依法全面履行政府职能,深化放管服改革,推行证照分离改革。" * 3 + "</p>\n"
    flat = ("<html><head><meta charset='utf-8'></head><body><div class='content'>"
            + para * (8 * 2**20 // len(para.encode())) + "</div></body></html>").encode()
    nested = lambda n: ("<html><body><p>正文第一段。</p>" + "<div>" * n + "<p>深处一段。</p>"
                        + "</div>" * n + "<p>正文最后一段。</p></body></html>").encode()
    return {"10,000 nested <div>": nested(10_000), "100,000 nested <div>": nested(100_000),
            "flat 8 MB page": flat}


# --- candidates ------------------------------------------------------------------------

_OLD_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form",
                  "iframe", "button", "select", "svg", "template", "head")
_OLD_DROP_ATTR = re.compile(
    r"(^|[-_\s])(nav|navbar|menu|breadcrumb|crumbs?|position|location|footer|foot|header|"
    r"top|sidebar|share|bdshare|copyright|friend-?links?|links)([-_\s]|\d|$)", re.IGNORECASE)
_OLD_BLOCK = ("p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
              "section", "article", "table", "ul", "ol", "blockquote", "pre", "dd", "dt")


def extract_bs4_before(data: bytes) -> str:
    """The reader before issue 11 (bs4 + lxml, tag and class/id blacklist), verbatim."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data, "lxml")
    for tag in soup.find_all(_OLD_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed or tag.attrs is None:
            continue
        marks = " ".join([tag.get("id") or "", *(tag.get("class") or [])])
        if marks and _OLD_DROP_ATTR.search(marks):
            tag.decompose()
    root = soup.find("article") or soup.body or soup
    for br in root.find_all("br"):
        br.replace_with("\n")
    for tag in root.find_all(_OLD_BLOCK):
        tag.insert_before("\n")
        tag.insert_after("\n")
    return root.get_text()


def _tree(data: bytes):
    from lawgov_cls.read_html import parse_html

    return parse_html(data, "<bench>")


def extract_trafilatura(data: bytes, **options) -> str:
    import trafilatura

    return trafilatura.extract(_tree(data), include_comments=False, include_tables=True,
                               deduplicate=False, **options) or ""


def extract_readability(data: bytes) -> str:
    import lxml.html
    from readability import Document

    from lawgov_cls.read_html import decode_html

    summary = Document(decode_html(data, "<bench>")).summary(html_partial=True)
    return _block_text(lxml.html.fromstring(summary))


def _block_text(root) -> str:
    from lawgov_cls.read_html import html_block_text

    return html_block_text(root)


def extract_justext(data: bytes) -> str:
    import justext

    from lawgov_cls.read_html import decode_html

    # Language-independent mode (no Chinese stoplist): length and link density only.
    paragraphs = justext.justext(decode_html(data, "<bench>"), frozenset(), stopwords_low=0,
                                 stopwords_high=0, length_low=10, length_high=40)
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def extract_chosen(data: bytes) -> str:
    from lawgov_cls.read_html import extract_html_text

    return extract_html_text(data, "<bench>")


CANDIDATES = {
    "bs4 + blacklist (before)": extract_bs4_before,
    "trafilatura": extract_trafilatura,
    "trafilatura favor_recall": lambda d: extract_trafilatura(d, favor_recall=True),
    "trafilatura fast (no fallback)": lambda d: extract_trafilatura(d, fast=True),
    "readability-lxml": extract_readability,
    "justext (no stoplist)": extract_justext,
    "lawgov_cls.read (chosen)": extract_chosen,
}

# --- scoring -----------------------------------------------------------------------------


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def score(extracted: str, gold: list[str]) -> tuple[float, float]:
    lines = [l for l in (_norm(x) for x in extracted.split("\n")) if l]
    gold = [g for g in (_norm(x) for x in gold) if g]
    flat_out, flat_gold = "".join(lines), "".join(gold)
    found = sum(len(g) for g in gold if g in flat_out)
    correct = sum(len(l) for l in lines if l in flat_gold)
    total = sum(len(l) for l in lines)
    return (correct / total if total else 0.0), found / sum(len(g) for g in gold)


def _timed_call(name, data, queue):
    start = time.perf_counter()
    try:
        text = CANDIDATES[name](data)
        queue.put((time.perf_counter() - start, f"{len(text):,} chars"))
    except Exception as exc:  # report what a candidate does with a hostile page
        queue.put((time.perf_counter() - start, f"{type(exc).__name__}: {str(exc)[:60]}"))


def time_hostile(name, data, limit):
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_timed_call, args=(name, data, queue))
    proc.start()
    proc.join(limit)
    if proc.is_alive():
        proc.kill()
        proc.join()
        return f"> {limit:.0f} s", "(killed)"
    if queue.empty():
        return "crashed", f"exit code {proc.exitcode}"
    seconds, outcome = queue.get()
    return f"{seconds:.2f} s", outcome


def table(rows, headers):
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) for i, h in enumerate(headers)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    return "\n".join([line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|",
                      *(line(r) for r in rows)])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="skip the before-issue-11 bs4 reader on the hostile pages")
    args = parser.parse_args()
    pages = quality_pages()
    print(f"{len(pages)} pages: {len(TEMPLATES)} templates x {len(pages) // len(TEMPLATES)} "
          "seed articles\n")
    rows, per_template = [], {}
    for name, extract in CANDIDATES.items():
        scores, times = [], []
        for doc, tname, data, gold in pages:
            start = time.perf_counter()
            try:
                text = extract(data)
            except Exception:  # a candidate that fails on a page scores zero on it
                text = ""
            times.append(time.perf_counter() - start)
            scores.append(score(text, gold))
            per_template.setdefault(name, {}).setdefault(tname, []).append(scores[-1])
        p = statistics.mean(s[0] for s in scores)
        r = statistics.mean(s[1] for s in scores)
        f = 2 * p * r / (p + r) if p + r else 0.0
        worst = min(statistics.mean(s[1] for s in v) for v in per_template[name].values())
        rows.append([name, f"{p:.3f}", f"{r:.3f}", f"{f:.3f}", f"{worst:.3f}",
                     f"{1000 * statistics.mean(times):.1f} ms"])
    print("Quality (mean over pages; worst template = lowest mean recall of one template):\n")
    print(table(rows, ["extractor", "precision", "recall", "F1", "worst-template recall",
                       "time/page"]))
    print("\nRecall / precision per template:\n")
    tnames = list(TEMPLATES)
    trows = [[name] + [f"{statistics.mean(s[1] for s in per_template[name][t]):.2f} / "
                       f"{statistics.mean(s[0] for s in per_template[name][t]):.2f}"
                       for t in tnames] for name in CANDIDATES]
    print(table(trows, ["extractor"] + tnames))

    print(f"\nHostile pages (each run in a subprocess, killed after {TIME_LIMIT:.0f} s):\n")
    hrows = []
    for pname, data in hostile_pages().items():
        for name in CANDIDATES:
            if args.quick and name.endswith("(before)"):
                continue
            elapsed, outcome = time_hostile(name, data, TIME_LIMIT)
            hrows.append([pname, name, elapsed, outcome])
    print(table(hrows, ["page", "extractor", "time", "outcome"]))


if __name__ == "__main__":
    main()
