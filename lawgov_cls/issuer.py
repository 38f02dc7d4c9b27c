"""The issuing body of a report: from its signature block, else from its title or header.

Chinese official documents end with the issuer's name above the date ('某县人民政府' /
'2024年1月31日'), joint issuers on one line or on consecutive lines ('中共某镇委员会 某镇人民
政府'); a 述法 report is signed by a person ('述法人:某局局长 张三'). Reports without a
signature often name the issuer in the title ('某市司法局关于2022年度…的报告',
'某县教育局2022年度…报告') or on a line above it; pages saved from a government website
often carry it as a metadata field ('发布机构:某区人民政府法制办公室'). ``find_issuer`` looks at
the signature, the title, the metadata field and the lines above the title, in that order,
and returns '' when the text does not say; joint issuers are joined with '、'.

>>> from lawgov_cls.segment import split_paragraphs
>>> find_issuer(split_paragraphs("某县2023年度法治政府建设情况报告\\n推进依法行政。\\n"
...                              "中共某县委员会 某县人民政府\\n2024年1月31日"), "某县2023年度法治政府建设情况报告")
'中共某县委员会、某县人民政府'
"""

from __future__ import annotations

import re
from typing import Sequence

from lawgov_cls.segment import Paragraph

_TRAILER_PARAS = 6  # the signature sits in the last few body paragraphs
_HEADER_PARAS = 6
# Names of bodies end like this: 人民政府, 委员会, 办事处, 司法局, 交通运输厅, 依法治市办 ...
_BODY_END = re.compile(r"(政府|委员会|委|办事处|局|厅|办公室|办|院|中心|小组|公室|管委会|工委|"
                       r"政法委员会|部|署|会|室|所|站|队|街道|管理处)$")
_SENTENCE = re.compile(r"[。,;!?:“”《》()\d]")
# A signature date, also a damaged one ('2020312'), or an attachment line under it.
_DATE_LINE = re.compile(r"^[\d\s年月日〇零○O一二三四五六七八九十.\-/]{4,20}$|^(相关)?附件")
_NOT_A_NAME = re.compile(r"主办|承办|网站|网址|版权|电话|地址|邮箱")
_PERSON = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
_SIGNER = re.compile(r"^述法人\s*[::]\s*(?:.*\s)?([\u4e00-\u9fff·]{2,5})$")
# A title that starts with its issuer: '某市司法局关于…' or '某县教育局2022年度…' (never
# '关于举办2024年…': a title opening with 关于 names no issuer before it).
_TITLE_ISSUER = re.compile(r"^((?:(?!关于).){3,40}?)(?:关于|(?=(?:19|20)\d{2}\s*年))")
# The issuing body as a website's metadata field ('来源' is left out: it names where the
# page came from, often a department in short form, not who issued the document).
_FIELD = re.compile(r"(?:发布机构|发布单位|发文机关|发文单位)\s*[::]\s*([^\s【】\[\]|｜]{3,40})")


def _bodies(text: str) -> list[str] | None:
    """The bodies a signature line names ('A B' for joint issuers), or None if it is no name."""
    text = text.strip()
    if (not 3 <= len(text) <= 40 or _SENTENCE.search(text) or _DATE_LINE.match(text)
            or _NOT_A_NAME.search(text)):
        return None
    names = text.split()
    if len(names) > 1 and _PERSON.match(names[-1]) and not _BODY_END.search(names[-1]):
        names = names[:-1]  # '某局 张三': the body a person signs for
    if all(2 < len(n) <= 30 and _BODY_END.search(n) for n in names):
        return names
    return None


def _join(names: list[str]) -> str:
    return "、".join(dict.fromkeys(names))  # in order, each once


def _from_signature(body: Sequence[Paragraph]) -> str:
    tail = [p.text.strip() for p in body[-_TRAILER_PARAS:]]
    for text in reversed(tail):
        if m := _SIGNER.match(text):
            return m[1]
    # Walk up from the end: skip the date line(s), then collect consecutive name lines.
    i = len(tail) - 1
    while i >= 0 and _DATE_LINE.match(tail[i]) and len(tail[i]) <= 30:
        i -= 1
    names: list[str] = []
    while i >= 0 and (found := _bodies(tail[i])):
        names = found + names
        i -= 1
    return _join(names)


def _from_title(title: str) -> str:
    if m := _TITLE_ISSUER.match(title.strip()):
        names = _bodies(m[1])
        if names:
            return _join(names)
    return ""


def _from_field(paragraphs: Sequence[Paragraph]) -> str:
    for p in paragraphs:
        for m in _FIELD.finditer(p.text):
            if names := _bodies(m[1]):
                return _join(names)
    return ""


def find_issuer(paragraphs: Sequence[Paragraph], title: str = "") -> str:
    """The issuing body (or the signer of a 述法 report); '' when the text does not say."""
    body = [p for p in paragraphs if not p.furniture]
    if issuer := _from_signature(body):
        return issuer
    if issuer := _from_title(title):
        return issuer
    if issuer := _from_field(paragraphs):
        return issuer
    for p in body[:_HEADER_PARAS]:  # a name line above the title: '某县人民政府' / '…报告'
        if title and p.text.strip() in title:
            break
        if names := _bodies(p.text):
            return _join(names)
    return ""
