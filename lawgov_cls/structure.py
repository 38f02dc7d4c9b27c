"""Check a report against what the rules require of an annual 法治政府建设 report.

The 2019 《法治政府建设与责任落实督察工作规定》 asks every annual report for (1) the year's
main measures and results, (2) shortcomings and their causes, (3) how the 党政主要负责人
fulfilled their duty as 第一责任人, (4) the main arrangements for the next year and (5) other
matters (optional, not checked), and for the report to be made public; provinces set the
deadline, usually 1 April of the following year.

``check_structure`` reads one report and returns a ReportStructure: genre, title, the year
covered, the issuing body (issuer.py), the publication date, whether it came late and which of the four parts are missing.
``summarize_structure`` counts late reports and missing parts over a batch. The rules use
general cues only (title patterns, heading vocabulary per part, date formats, signature
blocks), so that they hold for reports nobody has seen.

>>> s = check_structure("某县2019年度法治政府建设工作情况报告\\n发布时间:2020-06-01\\n"
...                     "一、主要举措和成效\\n推进放管服改革。\\n二、2020年工作打算\\n继续深化改革。")
>>> s.genre, s.year, s.published, s.late, s.parts_missing
('年度报告', 2019, '2020-06-01', True, ('不足', '第一责任人'))
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from lawgov_cls.issuer import find_issuer
from lawgov_cls.labels import ANNUAL_REPORT, UNKNOWN_GENRE
from lawgov_cls.segment import (Paragraph, heading_level, is_furniture, is_heading_line,
                                split_paragraphs)

#: The four required parts that are checked, in the order the rules list them.
PARTS: tuple[str, ...] = ("成效", "不足", "第一责任人", "下年安排")
#: Publication deadline (month, day) in the year after the one a report covers.
DEFAULT_DEADLINE = (4, 1)
#: Per-report columns added to the coverage table.
STRUCTURE_COLUMNS = ["genre", "title", "issuer", "year", "published", "late", "parts_missing"]

_HEADER_PARAS = 15   # titles and web metadata sit at the top of a page
_TRAILER_PARAS = 8   # signature blocks sit in the last few body paragraphs


@dataclass(frozen=True)
class ReportStructure:
    """What check_structure found. ``year`` is None and ``published`` empty when unknown;
    ``late`` is None unless the report is an annual report with both known."""

    genre: str
    title: str = ""
    year: int | None = None
    issuer: str = ""
    published: str = ""
    late: bool | None = None
    parts_present: tuple[str, ...] = ()
    parts_missing: tuple[str, ...] = ()

    def with_deadline(self, deadline: tuple[int, int]) -> "ReportStructure":
        """The same report judged against another deadline (month, day)."""
        late = self.late
        if self.genre == ANNUAL_REPORT and self.year is not None and self.published:
            late = dt.date.fromisoformat(self.published) > dt.date(self.year + 1, *deadline)
        return dataclasses.replace(self, late=late)

    def row(self) -> dict:
        """The STRUCTURE_COLUMNS cells of a coverage row."""
        return {"genre": self.genre, "title": self.title, "issuer": self.issuer,
                "year": self.year,
                "published": self.published, "late": self.late,
                "parts_missing": ";".join(self.parts_missing)}


def parse_deadline(text: str) -> tuple[int, int]:
    """'MM-DD' → (month, day); ValueError for anything else.

    >>> parse_deadline("03-01")
    (3, 1)
    """
    m = re.fullmatch(r"\s*(\d{1,2})-(\d{1,2})\s*", text or "")
    if not m:
        raise ValueError(f"deadline {text!r} is not MM-DD")
    month, day = int(m[1]), int(m[2])
    try:
        dt.date(2001, month, day)  # 13-01, 02-30 ... and 02-29, which most years lack
    except ValueError:
        raise ValueError(f"deadline {text!r} is not a day of the year (MM-DD)") from None
    return month, day


# --- dates --------------------------------------------------------------------------

_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "O": 0}
_DATE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*(?:年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*日?"
    r"|[-/.]\s*(?P<m2>\d{1,2})\s*[-/.]\s*(?P<d2>\d{1,2})(?!\d))"
    r"|(?P<cy>[〇零○O一二三四五六七八九]{4})\s*年\s*(?P<cm>[一二三四五六七八九十]{1,2})\s*月"
    r"\s*(?P<cd>[一二三四五六七八九十]{1,3})\s*日")
# Web metadata labels, best first: the date a page was published beats the date a
# document was signed or generated.
_DATE_LABELS = ((0, "发布日期|发布时间"), (1, "日期|时间"), (2, "发文时间|发文日期|成文日期|生成日期|印发日期"))
_DATE_LABEL = re.compile("|".join(f"(?P<r{rank}>{alts})" for rank, alts in _DATE_LABELS))


def _cn_number(text: str) -> int:
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[ones] if ones else 0)
    return int("".join(str(_CN_DIGIT[c]) for c in text))


def _to_date(m: re.Match) -> dt.date | None:
    try:
        if m["cy"]:
            return dt.date(_cn_number(m["cy"]), _cn_number(m["cm"]), _cn_number(m["cd"]))
        return dt.date(int(m["y"]), int(m["m1"] or m["m2"]), int(m["d1"] or m["d2"]))
    except (ValueError, KeyError):
        return None


def _labelled_date(text: str) -> tuple[int, dt.date] | None:
    """(rank, date) of the best 发布日期:/时间:/成文日期: ... date on a metadata line."""
    found = []
    for label in _DATE_LABEL.finditer(text):
        rank = int(next(k for k, v in label.groupdict().items() if v)[1:])
        m = _DATE.match(text, re.match(r"[\s::【\[]*", text[label.end():]).end() + label.end())
        if m and (day := _to_date(m)):
            found.append((rank, day))
    return min(found, key=lambda f: f[0]) if found else None


def _lone_date(text: str) -> dt.date | None:
    """The date of a line that holds little else: a signature date, '单位 2021年9月28日印发',
    '(2024年1月29日在…会议上)'."""
    matches = list(_DATE.finditer(text))
    if len(matches) != 1 or len(text) > 70:
        return None
    m = matches[0]
    before = text[:m.start()].strip(" ()—-")
    after = text[m.end():].strip(" )")
    if re.search(r"[。,;!?:]", before) or len(before) > 40:
        return None
    if after and not re.fullmatch(r"印发|发布|在[^。]{0,50}上", after):
        return None
    return _to_date(m)


def find_published(paragraphs: Sequence[Paragraph]) -> str:
    """ISO publication date: web metadata at the top, else the date under the signature,
    else any stand-alone date line; '' when the text has none."""
    # Web metadata sits above the article, on some sites below it.
    for area in (paragraphs[:_HEADER_PARAS], paragraphs[-_TRAILER_PARAS:]):
        labelled = [d for p in area if (d := _labelled_date(p.text))]
        # An unlabelled date on a metadata line ('来源:县司法局 2024-01-26') ranks last.
        labelled += [(3, day) for p in area if p.furniture
                     for m in _DATE.finditer(p.text) if (day := _to_date(m))]
        if labelled:
            return min(labelled, key=lambda d: d[0])[1].isoformat()
    body = [p for p in paragraphs if not p.furniture]
    for p in reversed(body[-_TRAILER_PARAS:]):
        if day := _lone_date(p.text):
            return day.isoformat()
    for p in body:
        if day := _lone_date(p.text):
            return day.isoformat()
    return ""


# --- title, genre, year ----------------------------------------------------------------

# A title ends with the kind of document it is ('…工作总结和2018年工作思路' too).
_DOC_WORD = re.compile(r"(报告|总结|方案|要点|通知|规定|目录|年报|解读|计划|通报|分析|情况|办法|意见"
                       r"|思路|打算|汇报|公告|通告|决定)"
                       r"[)》]?\s*(\(\d{4}\s*[—\-–~至]\s*\d{4}年?\))?$")
# A site's name followed by a section ('某县人民政府门户网站 政府信息公开目录'), or a
# breadcrumb of ' - ' separators.
_SITE_LINE = re.compile(r"(政府网|网站)\s+\S|\s[-–]\s.*\s[-–]\s")
_PERIOD_LINE = re.compile(r"\(\d{4}\s*[—\-–~至]\s*\d{4}年?\)")


def find_title(paragraphs: Sequence[Paragraph]) -> tuple[str, int]:
    """(title, index of its last line) from the top of the report; ('', -1) when none."""
    head = list(paragraphs[:_HEADER_PARAS])
    for i, p in enumerate(head):
        text = p.text.strip()
        # CMS metadata 'title:' line ('标题:…', '信息名称:…')
        labelled = re.match(r"(?:标\s*题|信息名称|文件名称)\s*:\s*(.+?)[\s|]*$", text)
        if labelled and _DOC_WORD.search(labelled[1]):
            return labelled[1], -1
        # A breadcrumb or metadata line may end like a title ('门户网站 | 政务公开 | 工作要点',
        # '…政府网 - 部门信息 - 工作总结', '分类:综合政务\通知公告'); a title has none of them.
        if (p.furniture or p.level or not 6 <= len(text) <= 100 or text.endswith(":")
                or text.count(":") >= 2 or re.search(r"[。,;!?|│>»›\\]", text)
                or _SITE_LINE.search(text) or not _DOC_WORD.search(text)):
            continue
        end = i
        # An issuer line above '关于…的报告', a '(2016—2020年)' line below: one title.
        if text.startswith("关于") and i and _is_issuer_line(head[i - 1].text):
            text = head[i - 1].text.strip() + text
        if i + 1 < len(head) and _PERIOD_LINE.fullmatch(head[i + 1].text.strip()):
            text, end = text + head[i + 1].text.strip(), i + 1
        return text, end
    return "", -1


def _is_issuer_line(text: str) -> bool:
    return (len(text) <= 40 and not re.search(r"[。,;:!?]", text) and not _DOC_WORD.search(text)
            and bool(re.search(r"(委员会|政府|办事处|局|厅|委|办公室)$", text)))


# Annual reports by any name: 法治(政府|公安|税务…)建设, 依法行政, 依法治市 … reports.
_ANNUAL_TOPIC = re.compile(r"法治[\u4e00-\u9fff]{0,4}建设|依法行政|依法治[省市县区州镇乡]")
_PLAN_ENDING = re.compile(r"(通知|决定|意见|办法|规定)$")
# Single-topic genres by title keyword, most specific first.
_TOPIC_GENRES = (
    ("建议提案办理", r"建议|提案"),
    ("行政复议应诉报告", r"复议|应诉|行政诉讼|败诉"),
    ("重大行政决策", r"行政决策"),
    ("规范性文件审查", r"规范性文件|合法性审查"),
    ("审计报告", r"审计"),
    # Before 执法: a title naming mediation next to enforcement (行政执法与调解) is about
    # the mediation; 公共法律服务 is dispute resolution by the codebook (rule 6).
    ("矛盾纠纷化解", r"矛盾|纠纷|信访|调解|公共法律服务"),
    # Before 执法: '“谁执法谁普法”普法责任制落实情况' is about 普法 (rule 1: 化解纠纷).
    ("普法报告", r"普法|法治宣传|法治文化"),
    ("行政执法报告", r"执法|行政处罚|行政检查|行政强制"),
    ("法治培训", r"学法|培训|考法|法治教育|法律知识"),
)


def genre_from_title(title: str) -> str | None:
    """The genre a title names, or None when the title says nothing about it.

    >>> genre_from_title("某市交通运输局2018年度法治政府部门建设工作情况报告")
    '年度报告'
    """
    if "述法" in title:
        return "述法报告"
    if re.search(r"(政府信息|政务)公开", title):
        return "政府信息公开年度报告"
    annual_topic = _ANNUAL_TOPIC.search(title)
    if annual_topic and "工作要点" in title:
        return "工作要点"
    if annual_topic and re.search(r"实施方案|建设规划", title):
        return "实施方案"
    if annual_topic and not _PLAN_ENDING.search(title.rstrip("》)")):
        return ANNUAL_REPORT
    # '某市普法办关于…学法考试情况的通报': the subject follows 关于; the issuer's name before it
    # (普法办, 信访局, 行政审批局) does not say what the document is about.
    subject = title.split("关于", 1)[1] if "关于" in title else title
    for genre, pattern in _TOPIC_GENRES:
        if re.search(pattern, subject):
            return genre
    return None


_YEAR_RANGE = re.compile(r"((?:19|20)\d{2})\s*[—\-–~至]\s*(?:19|20)\d{2}")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_REPORT_WORD = re.compile(r"报告|总结|年报|通报|分析|情况|解读")


def find_year(title: str, body: Sequence[Paragraph], published: str) -> int | None:
    """The year a document covers: from its title, else the opening '2022年,…' of a report,
    else its publication date (a report published in the first half covers the year before)."""
    if m := (_YEAR_RANGE.search(title) or _YEAR.search(title)):
        return int(m[1])
    for p in body[:5]:  # a plan's period on its own line under the title: '(2016—2020年)'
        if _PERIOD_LINE.fullmatch(p.text.strip()):
            return int(_YEAR_RANGE.search(p.text)[1])
    report = not title or (_REPORT_WORD.search(title) and not _PLAN_ENDING.search(title))
    if report:
        for p in body[:5]:
            m = (re.match(r"((?:19|20)\d{2})\s*年度?(?!以来)[,是]", p.text)
                 or re.search(r"现将[^。]{0,12}?((?:19|20)\d{2})\s*年", p.text))
            if m:
                return int(m[1])
    if published:
        day = dt.date.fromisoformat(published)
        return day.year - 1 if report and day.month <= 6 else day.year
    return None


# --- the four parts -------------------------------------------------------------------

_LEADER = re.compile(r"第一责任人|主要负责(?:人|同志)")
_PROBLEM = re.compile(r"不足|差距|短板|薄弱|存在.{0,4}问题|问题(?:与|和|及|$)|主要问题|困难")
_PLAN = re.compile(r"打算|安排|计划|思路|下一步|下步|今后|努力方向|展望|工作重点|重点工作")
_RESULTS = re.compile(r"成效|成绩|举措|做法|主要工作|工作开展|开展情况|工作情况|基本情况|进展|措施")
_STRONG_RESULTS = re.compile(r"成效|成绩")
_OTHER_MATTERS = re.compile(r"其他|意见建议|建议$|需要报告")
# A leader's duty reported in a paragraph: '…履行推进法治建设第一责任人职责…', not
# '被审计单位主要负责人为整改第一责任人' nor safety or petition duties.
_LEADER_DUTY = re.compile(r"(法治|依法行政)[^。]{0,24}第一责任人|第一责任人职责")
_OTHER_DUTY = re.compile(r"(整改|安全|信访|保密|意识形态|防汛|河长|林长)第一责任人")
_FLAT_PROBLEM = re.compile(r"(存在|还有|仍有|面临|仍然|依然|也有)[^。,]{0,8}(问题|不足|短板|差距|困难|薄弱)"
                           r"|(问题|不足|短板|差距)(主要|集中)?(是|有|表现在|如下)")
_NUMBERING = re.compile(r"^(第[一二三四五六七八九十]+[章部分节篇]|[(]?[一二三四五六七八九十\d]{1,3}[)、.,:]?)\s*")


def _lead(text: str) -> str:
    """The heading phrase of a paragraph: up to the first full stop, at most 40 characters."""
    return re.split(r"[。;!?:]", text, maxsplit=1)[0][:40]


def heading_parts(heading: str, year: int | None = None) -> set[str]:
    """Parts a section heading announces; two for a merged heading ('存在的问题和下一步打算').

    >>> sorted(heading_parts("九、存在的问题和2017年工作打算"))
    ['下年安排', '不足']
    >>> sorted(heading_parts("四、锚定2025年目标,跑好法治政府建设“接力赛”", year=2024))
    ['下年安排']
    """
    text = _NUMBERING.sub("", _lead(heading))
    parts = set()
    if _LEADER.search(text):
        parts.add("第一责任人")
    if _PROBLEM.search(text):
        parts.add("不足")
    # The next year named in a top heading announces the plan, however it is phrased
    # ('四、锚定2025年目标,跑好…"接力赛"', '三、2019年:在"补短板"上再用力').
    if _PLAN.search(text) or (year and re.search(rf"{year + 1}\s*年(?!以来)", text)):
        parts.add("下年安排")
    if _RESULTS.search(text) and ("下年安排" not in parts or _STRONG_RESULTS.search(text)) \
            and "第一责任人" not in parts:
        parts.add("成效")
    return parts


def _level(p: Paragraph, has_top: bool) -> int:
    """Heading level of a body paragraph, counting a top-level heading whose numeral was
    lost ('、存在的问题') or whose separator was lost ('一主要举措和成效') as level 1."""
    if p.level and p.level < 5:
        return p.level if (p.is_heading or len(_lead(p.text)) < len(p.text)) else 0
    if p.is_heading and has_top and (p.text.startswith("、")
                                     or re.match(r"[一二三四五六七八九十]{1,2}[^一二三四五六七八九十是年]", p.text)):
        return 1
    return 0


def _sections(body: Sequence[Paragraph]) -> list[tuple[Paragraph, list[Paragraph]]] | None:
    """(heading, paragraphs under it) for the top level of the outline; None when flat."""
    has_top = any(p.level == 1 for p in body)
    levels = [_level(p, has_top) for p in body]
    for top in (1, 2, 3):
        starts = [i for i, level in enumerate(levels) if level == top]
        if len(starts) >= 2:
            ends = starts[1:] + [len(body)]
            return [(body[s], list(body[s + 1:e])) for s, e in zip(starts, ends)]
    return None


def _reports_leader_duty(p: Paragraph) -> bool:
    return bool(_LEADER_DUTY.search(p.text)) and not _OTHER_DUTY.search(p.text)


def find_parts(body: Sequence[Paragraph], year: int | None) -> tuple[str, ...]:
    """Required parts present in the body of an annual report, in PARTS order."""
    sections = _sections(body)
    found = _outline_parts(body, sections, year) if sections else _paragraph_parts(body, year)
    return tuple(part for part in PARTS if part in found)


def _outline_parts(body, sections, year) -> set[str]:
    """Parts announced by the top-level headings of an outlined report."""
    found: set[str] = set()
    intro = body[:body.index(sections[0][0])]
    if any(_reports_leader_duty(p) for p in intro):
        found.add("第一责任人")
    plan_seen = False
    for heading, paras in sections:
        parts = heading_parts(heading.text, year)
        found |= parts
        if not parts and not _OTHER_MATTERS.search(_lead(heading.text)) and not plan_seen:
            found.add("成效")  # a topical section ('二、依法全面履行政府职能') reports results
        plan_seen = plan_seen or "下年安排" in parts
        # The leader's duty may be a sub-heading or a paragraph of a results section,
        # but not a task in the plan ('压实第一责任人职责') nor a shortcoming.
        if parts & {"不足", "下年安排"} and "成效" not in parts:
            continue
        if any(_reports_leader_duty(p) or (_level(p, True) > 1 and _LEADER.search(_lead(p.text)))
               for p in [heading, *paras]):
            found.add("第一责任人")
    last_parts = heading_parts(sections[-1][0].text, year)
    if not last_parts:
        # Problems and plans may close the last section without headings of their own.
        tail = _paragraph_parts(sections[-1][1], year)
        if "下年安排" in tail:
            found |= tail & {"不足", "下年安排"}
    return found


def _paragraph_parts(paras: Sequence[Paragraph], year: int | None) -> set[str]:
    """Parts of a flat report: the plan starts at '2025年,…将…' / '下一步,…'; before it,
    problems are announced ('还存在一些不足:…') and everything else reports results."""
    found: set[str] = set()
    plan_start = next((i for i, p in enumerate(paras) if _opens_plan(p.text, year)), len(paras))
    if plan_start < len(paras):
        found.add("下年安排")
    results = 0
    for p in paras[:plan_start]:
        if _FLAT_PROBLEM.search(p.text[:60]):
            found.add("不足")
        elif _reports_leader_duty(p):
            found.add("第一责任人")
        else:
            results += 1
    if results >= 2:
        found.add("成效")
    return found


def _opens_plan(text: str, year: int | None) -> bool:
    if re.match(r"(同时,)?(下一步|下步|今后|明年|新的一年|下一年)", text):
        return True
    # '2020年,我局将…' / '2020年是…收官之年,区政府将…': next year and an intention.
    return bool(year and re.match(rf"{year + 1}\s*年[^。]*?(将|要|拟|计划)", text))


def _looks_annual(body: Sequence[Paragraph], year: int | None) -> bool:
    """An untitled report is an annual report when its outline has results, problems and
    plans and it is about 法治政府建设."""
    parts = set(find_parts(body, year))
    text = "".join(p.text for p in body)
    return {"不足", "下年安排"} <= parts and bool(_ANNUAL_TOPIC.search(text))


# --- one report, a batch ---------------------------------------------------------------


def _as_paragraphs(report) -> list[Paragraph]:
    if isinstance(report, str):
        from lawgov_cls.read import normalize_text

        return split_paragraphs(normalize_text(report))
    items = list(report)
    if items and isinstance(items[0], str):
        # Paragraph texts, e.g. a tagged table's text column: the flags follow from the text.
        return [Paragraph(i, t, level=heading_level(t), furniture=is_furniture(t),
                          is_heading=not is_furniture(t) and is_heading_line(t))
                for i, t in enumerate(items)]
    return items


def check_structure(report: str | Iterable[Paragraph] | Iterable[str],
                    deadline: tuple[int, int] = DEFAULT_DEADLINE) -> ReportStructure:
    """Genre, title, year, publication date, lateness and missing parts of one report.

    ``report`` is raw text, the Paragraphs of segment.split_paragraphs, or paragraph texts.
    """
    paragraphs = _as_paragraphs(report)
    title, title_end = find_title(paragraphs)
    body = [p for p in paragraphs[title_end + 1:] if not p.furniture]
    published = find_published(paragraphs)
    year = find_year(title, body, published)
    issuer = find_issuer(paragraphs, title)
    genre = genre_from_title(title) if title else None
    if genre is None:
        genre = ANNUAL_REPORT if not title and _looks_annual(body, year) else UNKNOWN_GENRE
    if genre != ANNUAL_REPORT:
        return ReportStructure(genre, title, year, issuer, published)
    present = find_parts(body, year)
    late = None
    if year is not None and published:
        late = dt.date.fromisoformat(published) > dt.date(year + 1, *deadline)
    return ReportStructure(genre, title, year, issuer, published, late, present,
                           tuple(p for p in PARTS if p not in present))


@dataclass
class StructureSummary:
    """Batch view: how many reports are annual reports, which came late, which lack a part."""

    reports: int = 0
    genres: dict[str, int] = field(default_factory=dict)
    late: list[str] = field(default_factory=list)
    undated: list[str] = field(default_factory=list)
    missing: dict[str, list[str]] = field(default_factory=lambda: {p: [] for p in PARTS})

    @property
    def annual(self) -> int:
        return self.genres.get(ANNUAL_REPORT, 0)

    def lines(self, show: int = 10) -> list[str]:
        """Summary lines for a terminal, naming at most ``show`` reports per line."""
        def docs(names: list[str]) -> str:
            more = f", … {len(names) - show} more" if len(names) > show else ""
            return f" ({', '.join(names[:show])}{more})" if names else ""

        others = ", ".join(f"{g} {n}" for g, n in self.genres.items() if g != ANNUAL_REPORT)
        out = [f"structure: {self.annual} of {self.reports} reports are annual reports"
               + (f"; others: {others}" if others else ""),
               f"  published late: {len(self.late)}{docs(self.late)}",
               f"  no publication date: {len(self.undated)}{docs(self.undated)}"]
        out += [f"  missing {part}: {len(names)}{docs(names)}" for part, names in self.missing.items()]
        return out


def summarize_structure(rows) -> StructureSummary:
    """Count genres, late reports and missing parts over per-report rows (dicts or a
    DataFrame with doc and STRUCTURE_COLUMNS, e.g. coverage rows)."""
    records = rows.to_dict(orient="records") if hasattr(rows, "to_dict") else list(rows)
    summary = StructureSummary()
    for row in records:
        genre = row.get("genre") or ""
        if not genre:  # the batch row, or a report that was not checked
            continue
        summary.reports += 1
        summary.genres[genre] = summary.genres.get(genre, 0) + 1
        if genre != ANNUAL_REPORT:
            continue
        if row.get("late") is True:
            summary.late.append(row["doc"])
        if not row.get("published"):
            summary.undated.append(row["doc"])
        for part in filter(None, str(row.get("parts_missing") or "").split(";")):
            summary.missing.setdefault(part, []).append(row["doc"])
    return summary
