"""Paragraph splitting: heading levels, nearest heading, furniture, hard-wrapped lines."""

from __future__ import annotations

import pytest

from lawgov_cls.read import normalize_text
from lawgov_cls.segment import heading_level, is_furniture, split_paragraphs


@pytest.mark.parametrize("line, level", [
    ("一、主要举措和成效", 1),
    ("第二部分 存在的问题", 1),
    ("(三)完善依法决策机制", 2),
    (normalize_text("㈣严格规范公正文明执法"), 2),
    (normalize_text("（五）强化监督"), 2),
    ("1.深化行政审批制度改革", 3),
    ("12、加强行政应诉工作", 3),
    ("(2)规范执法行为", 4),
    ("一是坚持领导干部带头学法", 5),
    ("一年来,我县法治建设取得成效。", 0),
    ("2023.5月以来,开展专项行动。", 0),
    ("一网通办事项达到95%。", 0),
])
def test_heading_levels(line, level):
    assert heading_level(line) == level


def test_headings_are_own_paragraphs_and_give_context():
    text = "一、主要成效\n(一)推进放管服改革\n全面推行证照分离。\n二是优化营商环境。\n二、存在问题\n基层力量薄弱。"
    paras = split_paragraphs(text)
    assert [p.is_heading for p in paras] == [True, True, False, False, True, False]
    assert [p.heading for p in paras] == ["", "一、主要成效", "(一)推进放管服改革",
                                          "(一)推进放管服改革", "(一)推进放管服改革", "二、存在问题"]


def test_blank_lines_and_one_paragraph_per_line_give_the_same_paragraphs():
    lines = ["一、工作情况", "全面推行行政执法三项制度,执法案卷评查合格率100%。",
             "深化政务公开,主动公开政府信息1200条。"]
    assert ([p.text for p in split_paragraphs("\n\n".join(lines))]
            == [p.text for p in split_paragraphs("\n".join(lines))] == lines)


def test_hard_wrapped_lines_are_joined(seed_path):
    from lawgov_cls.read import read_report

    original = [p for p in split_paragraphs(read_report(seed_path))]
    wrapped_lines = []
    for p in original:
        text = p.text
        # Fixed-width text: 30 characters a line, new paragraphs indented.
        chunks = [text[i:i + 30] for i in range(0, len(text), 30)]
        wrapped_lines.append("  " + chunks[0])
        wrapped_lines.extend(chunks[1:])
    wrapped = split_paragraphs(normalize_text("\n".join(wrapped_lines)))
    assert [p.text for p in wrapped] == [p.text for p in original]


@pytest.mark.parametrize("line", [
    "当前位置:首页 > 政务公开 > 法治政府建设",
    "首页 | 新闻中心 | 政务公开 | 办事服务",
    "来源:县司法局 发布时间:2023-02-01 点击数:356",
    "发布日期:2024-01-25",
    "分享到:",
    "Copyright © 2023 某某县人民政府 版权所有",
    "蜀ICP备12345678号-1 川公网安备 51000000000000号",
    "联系电话:0818-1234567",
    "邮箱:sfj@example.gov.cn",
    "【打印本页】【关闭窗口】",
])
def test_furniture_is_flagged(line):
    assert is_furniture(normalize_text(line))


@pytest.mark.parametrize("line", [
    "(一)加快政府职能转变。深化放管服改革优化营商环境。",
    "设立12345政务服务便民热线,群众诉求办结率98.5%。",
    "2023年,全区共办理行政复议案件56件,纠错率12.5%。",
    "一、主要举措和成效",
])
def test_body_text_is_not_furniture(line):
    assert not is_furniture(line)


def test_empty_text_gives_no_paragraphs():
    assert split_paragraphs("") == []
    assert split_paragraphs("\n \n") == []


@pytest.mark.parametrize("sep", [" | ", "  ", " "])
def test_a_table_of_similar_rows_is_not_taken_for_wrapped_text(sep):
    # Six rows of about the same length used to make the whole text look hard-wrapped, and
    # the rows were joined to each other and to the paragraph above them.
    cells = [("清河区", 9826, 9826, "100%", 95.8), ("沙湄县", 11473, 11469, "99.9%", 94.9),
             ("东港区", 8612, 8601, "99.8%", 94.1), ("蒲源县", 13025, 12968, "99.5%", 93.2),
             ("湾口市", 15937, 15802, "99.1%", 92.7), ("石岩县", 12380, 12214, "98.6%", 91.8)]
    rows = [sep.join(str(c) for c in row) for row in cells]
    text = "\n".join(["关于2024年度学法考法情况的通报",
                      "根据市委依法治市办部署,全市国家工作人员年度考法于11月完成。各单位参考情况如下。",
                      *rows, "下一步,各单位要抓好整改。"])
    assert [p.text for p in split_paragraphs(text)][2:8] == [" ".join(r.split()) for r in rows]
