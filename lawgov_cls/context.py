"""The document around a paragraph, as tokens the model can weigh.

A heading such as "(一)收案及受理情况" or a table row of counts names no task: what it serves
depends on the document. Codebook rule 9 is the one rule that makes a label depend on the
genre: in a single-topic document (a 行政复议 report, a 政府信息公开年度报告 …) the opening,
topical headings and statistics take the document's topic. So a paragraph of such a
document gets context tokens: the topic of the genre (labels.GENRE_TOPIC, the genre found by
structure.check_structure, so that tagging and training see the same thing) paired with the
paragraph's shape (heading, statistics, table row, short line, opening paragraph), which lets a linear
model learn "a heading in a 化解纠纷 document" as one feature. Paragraphs of annual reports,
plans and 述法 reports get no such tokens: there the text alone decides.

>>> paragraph_shapes("(一)收案及受理情况", is_heading=True)
['heading']
>>> paragraph_shapes("行政许可 | 312 | -27 | 48571", is_heading=False)
['stats', 'table', 'short']
>>> paragraph_shapes("县住房和城乡建设局　　23　　19", is_heading=False)
['table', 'short']
>>> paragraph_shapes("案件类别 | 收案数 | 2023年 | 占比", is_heading=False)
['table', 'header', 'short']
"""

from __future__ import annotations

import re
from typing import Sequence

import pandas as pd

from lawgov_cls.segment import Paragraph, heading_level, is_furniture, is_heading_line

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# Cell separators of a table saved as text: bars, tabs, runs of (full-width) spaces.
_CELL = re.compile(r"\s*[|｜\t]\s*|[ \u3000]{2,}")
# A cell that is a figure: a count, an amount, a share (what a header row has none of).
_FIGURE_CELL = re.compile(r"[-+－—]?[\d,，.]+\s*(?:%|‰|件|人|次|个|家|项|元|万元|亿元|小时|天|分)?")
_SHORT = 30  # characters: a line this short carries little text of its own
_TITLE_AREA = 20  # paragraphs: a title (or its repetition) sits at the top of the page


def paragraph_shapes(text: str, is_heading: bool, furniture: bool = False) -> list[str]:
    """What a paragraph looks like: a heading, a line of figures, a table row (two or more
    cell separators: rule 9 gives every row of a single-topic document's tables its topic,
    header rows and rows of names included), a header row (a table row with no cell that is
    a figure: column names carry the fewest task words of any row), a short line (or none).
    Page furniture (a metadata line spaced like cells) is never a table row."""
    shapes = []
    if is_heading:
        shapes.append("heading")
    numbers = _NUMBER.findall(text)
    digits = sum(len(n) for n in numbers)
    if len(numbers) >= 3 and (digits >= 0.2 * len(text) or len(text) <= 100):
        shapes.append("stats")
    if not furniture and len(_CELL.findall(text.strip())) >= 2:
        shapes.append("table")
        if not any(_FIGURE_CELL.fullmatch(cell) for cell in _CELL.split(text.strip())):
            shapes.append("header")
    if len(text) <= _SHORT and not is_heading:
        shapes.append("short")
    return shapes


_PRIOR = "prior:"
#: Kinds of context token, as TextFeatures(context=...) selects them.
CONTEXT_KINDS = ("pair", "prior", "genre")
#: Every shape document_shapes gives (paragraph_shapes's and the position shapes).
SHAPES = ("heading", "stats", "table", "header", "short", "opening", "title", "trailer")


def context_tokens(genre: str, paragraphs: Sequence[Paragraph]) -> list[str]:
    """One space-separated token string per paragraph, tokens of three kinds:

    - ``pair:TOPIC|SHAPE``: the topic of a single-topic genre paired with each of the
      paragraph's shapes (document_shapes); none for a plain body paragraph, which rule 9
      leaves to its content. This is what the model uses.
    - ``prior:TOPIC``: the topic alone, on every paragraph of a single-topic document;
    - ``genre:GENRE|SHAPE``: the genre (any genre) paired with each shape.

    The last two were tried as alternatives (see evaluate.VARIANTS) and scored lower.
    """
    from lawgov_cls.labels import GENRE_TOPIC

    topic = GENRE_TOPIC.get(genre)
    out = []
    for shapes in document_shapes(paragraphs):
        tokens = [f"genre:{genre}|{s}" for s in shapes]
        if topic:
            tokens += [f"{_PRIOR}{topic}"] + [f"pair:{topic}|{s}" for s in shapes]
        out.append(" ".join(tokens))
    return out


def prior_topic(context: str) -> str | None:
    """The single-topic genre's task that a paragraph's context tokens carry (its
    ``prior:`` token, present whatever kinds a model uses), or None."""
    return next((t[len(_PRIOR):] for t in context.split() if t.startswith(_PRIOR)), None)


def document_shapes(paragraphs: Sequence[Paragraph]) -> list[list[str]]:
    """paragraph_shapes of each paragraph, plus where it sits in the document: the title
    (which rule 9 leaves 其他 however topical it sounds), the opening paragraph (which
    rule 9 gives the topic) and the trailer (signature and date lines after the body)."""
    from lawgov_cls.structure import find_title

    title, _ = find_title(paragraphs)
    opening = _opening_index(paragraphs)
    last_body = max((i for i, p in enumerate(paragraphs)
                     if not p.furniture and len(p.text) > _SHORT), default=len(paragraphs))
    out = []
    for i, p in enumerate(paragraphs):
        text = p.text.strip()
        if title and i < _TITLE_AREA and len(text) >= 4 and text in title:
            out.append(["title"])
        elif i > last_body and not p.furniture and len(text) <= _SHORT and not p.level:
            out.append(["trailer"])
        else:
            out.append(paragraph_shapes(p.text, p.is_heading, p.furniture)
                       + (["opening"] if i == opening else []))
    return out


def _opening_index(paragraphs: Sequence[Paragraph]) -> int:
    """The first body paragraph: not furniture, not a heading or title line."""
    for i, p in enumerate(paragraphs):
        if not p.furniture and not p.is_heading and len(p.text) > _SHORT:
            return i
    return -1


def document_genre(paragraphs: Sequence[Paragraph]) -> str:
    from lawgov_cls.structure import check_structure

    return check_structure(list(paragraphs)).genre


def rows_as_paragraphs(rows: pd.DataFrame) -> list[Paragraph]:
    """Paragraph objects for labelled rows of one document (in ``para`` order), as the
    splitter would have made them."""
    paragraphs = []
    for r in rows.itertuples(index=False):
        furniture = is_furniture(r.text)
        paragraphs.append(Paragraph(index=int(r.para), text=r.text, heading=r.heading or "",
                                    level=heading_level(r.text),
                                    is_heading=not furniture and is_heading_line(r.text),
                                    furniture=furniture))
    return paragraphs


def corpus_contexts(rows: pd.DataFrame) -> pd.Series:
    """Context tokens for corpus rows (whole documents), aligned with ``rows``."""
    out = pd.Series("", index=rows.index, dtype=object)
    for _, doc_rows in rows.groupby("doc", sort=False):
        doc_rows = doc_rows.sort_values("para")
        paragraphs = rows_as_paragraphs(doc_rows)
        out.loc[doc_rows.index] = context_tokens(document_genre(paragraphs), paragraphs)
    return out
