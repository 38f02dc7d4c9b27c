"""Split normalised report text into paragraphs, aware of Chinese heading numbering.

A paragraph is one line of the text, except that hard-wrapped lines (fixed-width text,
PDF extraction) are joined back together. Headings keep their own paragraph, every
paragraph knows the nearest heading above it, and page furniture (breadcrumbs, 来源,
点击数, copyright, ICP, phone lines ...) is flagged.

>>> [p.text for p in split_paragraphs("一、主要成效\\n(一)推进放管服改革。全面推行证照分离。")]
['一、主要成效', '(一)推进放管服改革。全面推行证照分离。']
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass

_CN_NUM = "一二三四五六七八九十百零〇"

# Heading markers, from the outermost level to the innermost. Text is NFKC-normalised
# already, so ㈠ arrives as (一) and full-width brackets as ASCII ones.
HEADING_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^第[{_CN_NUM}]+[章部分节篇](?:\s|$|[、:.]|(?=\S))")),
    (1, re.compile(rf"^[{_CN_NUM}]{{1,3}}\s*[、.,:]")),
    (2, re.compile(rf"^\([{_CN_NUM}]{{1,3}}\)")),
    (3, re.compile(r"^\d{1,2}\s*[、.,](?!\d)")),
    (4, re.compile(r"^\(\d{1,2}\)")),
    (5, re.compile(rf"^[{_CN_NUM}]{{1,3}}是[,:、]?")),
)

# A heading line is short: the title after the marker, perhaps ending in 。 or :.
_MAX_HEADING_CHARS = 60
_MAX_BARE_HEADING_CHARS = 30
_SENTENCE_END = "。!?;"
_TERMINAL = "。!?;:\"”’』」)】》…"

# Page furniture. Prefix patterns only apply to short lines; anywhere patterns to any line
# up to _MAX_FURNITURE_CHARS, so long body paragraphs are never thrown away.
_FURNITURE_PREFIX = re.compile(
    r"^(当前位置|您的位置|你的位置|您现在的位置|所在位置|位置|首\s?页|来源|信息来源|文章来源|稿件来源|"
    r"发布时间|发布日期|发布机构|发布者|发文时间|发文日期|成文日期|日期|时间|作者|编辑|责任编辑|"
    r"审核|审核人|审稿|校对|供稿|撰稿|点击数|点击|阅读|阅读量|阅读次数|浏览|浏览次数|浏览量|访问量|"
    r"字号|字体|【?大】?\s*【?中|打印|关闭|分享|分享到|收藏|索引号|发文字号|文号|发文机关|主题词|"
    r"主题分类|分类|标题|附件|上一篇|下一篇|相关链接|扫一扫|【打印|【关闭|\[打印|\[关闭|网站地图|"
    r"联系我们|联系电话|电话|传真|邮编|邮政编码|地址|邮箱|电子邮箱|E-?mail|主办|承办|主办单位|"
    r"承办单位|技术支持|网站标识码|投稿)\s*[::>»│|\]】]?",
    re.IGNORECASE,
)
_FURNITURE_ANYWHERE = re.compile(
    r"(版权所有|版权为|Copyright|©|\(c\)\s*\d{4}|ICP备|ICP证|公网安备|网站标识码|"
    r"未经许可.{0,12}(镜像|复制|转载)|[\w.+-]+@[\w-]+\.[\w.]+|"
    r"(电话|热线|手机|传真)\s*[::]?\s*[\d\-() ]{7,}|https?://|www\.)",
    re.IGNORECASE,
)
_BREADCRUMB = re.compile(r"(>|»|│|\||›|/).*(>|»|│|\||›|/)")
# A cell holding only a figure makes a separated line a table row, not navigation.
_FIGURE_CELL = re.compile(r"(^|[>»│|›/])\s*[-+]?\d[\d.,%]*\s*(?=[>»│|›/]|$)")
_MAX_FURNITURE_CHARS = 200
_MAX_MENU_ITEM = 5  # characters of a navigation menu item
_MAX_PREFIX_FURNITURE_CHARS = 80


#: Paragraphs longer than this are split, at a sentence end where there is one: no report
#: paragraph is this long, and jieba's time grows with the square of a run of Chinese
#: characters without punctuation.
MAX_LINE_CHARS = 3000

_SENTENCE_END_RE = re.compile(r"[。!?;]")


def split_long_lines(lines: list[str], limit: int = MAX_LINE_CHARS) -> list[str]:
    """Split every line longer than ``limit`` into pieces of at most ``limit`` characters,
    each ending at the last sentence end in its second half (else cut at the limit).

    >>> split_long_lines(["一二三。四五六七"], limit=5)
    ['一二三。', '四五六七']
    """
    out = []
    for line in lines:
        while len(line) > limit:
            ends = [m.end() for m in _SENTENCE_END_RE.finditer(line, limit // 2, limit)]
            cut = ends[-1] if ends else limit
            out.append(line[:cut])
            line = line[cut:]
        out.append(line)
    return out


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a report.

    ``level`` is the heading level (1 = 一、, 2 = (一), 3 = 1., 4 = (1), 5 = 一是) of the
    numbering the paragraph starts with, or 0 when it has none. ``is_heading`` is true for
    a short stand-alone heading line. ``heading`` is the nearest heading above it.
    """

    index: int
    text: str
    heading: str = ""
    level: int = 0
    is_heading: bool = False
    furniture: bool = False

    def to_dict(self) -> dict:
        return asdict(self)


def heading_level(line: str) -> int:
    """Return the numbering level a line starts with (see Paragraph), or 0.

    >>> heading_level("(三)完善依法决策机制"), heading_level("2.强化执法监督"), heading_level("一年来")
    (2, 3, 0)
    """
    for level, pattern in HEADING_PATTERNS:
        if pattern.match(line):
            return level
    return 0


def is_heading_line(line: str) -> bool:
    """True for a short stand-alone heading: numbered, or a bare title without punctuation."""
    level = heading_level(line)
    if level == 5:  # 一是 ... opens a list item inside a paragraph, not a section
        return False
    body = line.rstrip(_TERMINAL + ", ")
    if len(body) > _MAX_HEADING_CHARS or any(ch in body for ch in _SENTENCE_END):
        return False
    if level:
        return True
    # An unnumbered short line without sentence punctuation reads as a title or heading
    # (also a numbered one whose number was lost, like "、党政主要负责人履职情况").
    return (len(body) <= _MAX_BARE_HEADING_CHARS and not re.search(r"[,。;!?]", line)
            and not line.endswith(":") and not _is_date(line))


def _is_date(line: str) -> bool:
    return bool(re.fullmatch(r"[\d\s年月日.\-/]+", line.strip()))


def is_furniture(line: str) -> bool:
    """True for web-page or document furniture: breadcrumbs, metadata, copyright, ICP, contacts."""
    s = line.strip()
    if not s:
        return False
    if len(s) <= _MAX_FURNITURE_CHARS and _FURNITURE_ANYWHERE.search(s):
        return True
    if len(s) <= _MAX_PREFIX_FURNITURE_CHARS:
        if _FURNITURE_PREFIX.match(s):
            return True
        if (_BREADCRUMB.search(s) and not any(ch in s for ch in "。,;")
                and not _FIGURE_CELL.search(s) and not _table_row(s)):
            return True
    return False


def _table_row(line: str) -> bool:
    """A line of cells between | or │ with a long or numeric cell: a table row, whereas a
    navigation menu has only short names ("首 页 │ 县委领导 │ 工作动态")."""
    if not re.search(r"[|│]", line) or re.search(r"[>»›]", line):
        return False
    cells = [c.strip() for c in re.split(r"[|│]", line) if c.strip()]
    return any(len(c.replace(" ", "")) > _MAX_MENU_ITEM or re.search(r"\d", c) for c in cells)


def _cells(line: str) -> bool:
    """A line of table cells: separated by |, a tab, or spaces (prose has at most one)."""
    return bool(re.search(r"[|│\t]", line)) or line.strip().count(" ") >= 2


def _wrap_width(lines: list[str]) -> int:
    """The fixed line width of hard-wrapped text, or 0 when lines are not hard-wrapped.

    Hard-wrapped text has many lines of (nearly) the same length: the wrap width.
    """
    lengths = [len(s) for s in lines if len(s) >= 15]
    # Only lines that could have been cut at the wrap width vote for it: not table rows
    # (cells split by | or spaces), whose similar lengths made a page with a table pass for
    # wrapped text and be joined into a few paragraphs, nor lines that end a sentence.
    cut = [len(s) for s in lines
           if len(s) >= 15 and not _cells(s) and not s.endswith(tuple(_SENTENCE_END))]
    if len(cut) < 5:
        return 0
    width, _ = Counter(cut).most_common(1)[0]
    near = sum(1 for n in cut if abs(n - width) <= 2)
    return width if near >= 0.3 * len(lengths) and near >= 5 else 0


def _join_wrapped(raw_lines: list[str]) -> list[str]:
    """Join hard-wrapped lines back into paragraphs; otherwise one paragraph per line."""
    lines = [s.strip() for s in raw_lines]
    width = _wrap_width(lines)
    if not width:
        return [s for s in lines if s]
    indented = sum(1 for raw in raw_lines if raw[:1].isspace() and raw.strip())
    out: list[str] = []
    joinable = False  # may the next line continue the last paragraph?
    for raw, line in zip(raw_lines, lines):
        if not line:
            joinable = False
            continue
        # Indentation, where the text uses it, marks new paragraphs best; otherwise a
        # section number does (not 一是, which runs on inside a paragraph).
        if indented:
            starts_new = raw[:1].isspace()
        else:
            starts_new = 0 < heading_level(line) < 5 or is_furniture(line)
        if joinable and not starts_new:
            out[-1] += line
        else:
            out.append(line)
        # A full-width line continues unless it is a numbered heading.
        joinable = len(line) >= width - 3 and not (heading_level(out[-1]) and is_heading_line(out[-1]))
    return out


def split_paragraphs(text: str) -> list[Paragraph]:
    """Split normalised text (see read.normalize_text) into paragraphs."""
    paragraphs: list[Paragraph] = []
    current_heading = ""
    # Long lines are split after joining, so that wrapped pieces are not joined back.
    for index, line in enumerate(split_long_lines(_join_wrapped(text.split("\n")))):
        line = re.sub(r"\s+", " ", line).strip()
        furniture = is_furniture(line)
        heading = not furniture and is_heading_line(line)
        paragraphs.append(Paragraph(index=index, text=line, heading=current_heading,
                                    level=heading_level(line), is_heading=heading,
                                    furniture=furniture))
        if heading:
            current_heading = line
    return paragraphs
