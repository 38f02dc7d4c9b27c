"""Document context: genre × shape tokens, and what they change in tagging."""

from __future__ import annotations

import pytest

from lawgov_cls.context import context_tokens, document_shapes, paragraph_shapes
from lawgov_cls.read import normalize_text
from lawgov_cls.segment import split_paragraphs

REVIEW_REPORT = """某市2020年度行政复议工作情况报告
发布时间:2021-02-01 来源:市司法局
本报告汇总全市各级行政复议机关2020年度的工作情况,统计期限自2020年1月1日至12月31日。
(一)收案及受理情况
全市共收到行政复议申请1238件,依法受理1106件,不予受理87件。
治安管理 | 312 | 25.2% | 41
(二)审理情况
全年审结案件1052件,其中维持736件、撤销61件、确认违法38件、责令履行12件。
三、存在的问题
部分行政机关对复议意见重视不够,纠错后整改不到位。
某市人民政府
2021年2月1日"""

ANNUAL_REPORT = """某县2020年度法治政府建设情况报告
一、主要举措和成效
(一)收案及受理情况
全县深化放管服改革,推行证照分离,政务服务事项全部进驻政务大厅,一窗受理率达到98%。
二、存在的问题
部分干部法治意识不强。
三、2021年工作打算
继续推进法治政府建设。
某县人民政府
2021年3月1日"""


def _paragraphs(text):
    return split_paragraphs(normalize_text(text))


def test_shapes_of_headings_figures_titles_and_trailers():
    assert paragraph_shapes("(一)收案及受理情况", is_heading=True) == ["heading"]
    assert "stats" in paragraph_shapes("治安管理 | 312 | 25.2% | 41", is_heading=False)
    assert paragraph_shapes("全县深化放管服改革,推行证照分离,政务服务事项全部进驻政务大厅。",
                            is_heading=False) == []
    shapes = document_shapes(_paragraphs(REVIEW_REPORT))
    assert shapes[0] == ["title"] and shapes[-1] == ["trailer"] and shapes[-2] == ["trailer"]
    assert "opening" in shapes[2]


@pytest.mark.parametrize("text, furniture, table", [
    ("管理领域 | 案件数(件) | 占比", False, True),           # a header row: no figures
    ("县住房和城乡建设局　　23　　19　　27", False, True),    # cells spaced with full-width blanks
    ("公安\t849\t12.4%", False, True),                        # tab-separated
    ("办理行政复议案件36件,同比增长12%。", False, False),
    ("发布时间:2023-03-28  来源:县司法局  浏览次数:112", True, False),  # furniture spaced like cells
])
def test_table_rows_are_a_shape_of_their_own(text, furniture, table):
    assert ("table" in paragraph_shapes(text, is_heading=False, furniture=furniture)) is table


@pytest.mark.parametrize("text, header", [
    ("许可类别 | 受理数 | 准予许可 | 不予许可", True),       # column names only
    ("单位 | 2022年 | 2023年 | 增减", True),                 # years name columns, not figures
    ("县(区)|抽查卷数|优秀|不合格|平均得分", True),
    ("合计 | 312 | 48", False),                              # a row of figures
    ("公安局 | 412 | 37.4% ", False),
    ("市场监管 | 86件 | 1,204万元", False),                   # figures with their units
    ("1 | 关于加强城市管理的通知 | 樟政发〔2023〕5号", False),  # a numbered list row
    ("办理行政复议案件36件,同比增长12%。", False),            # not a table row at all
])
def test_header_rows_are_table_rows_without_a_figure(text, header):
    assert ("header" in paragraph_shapes(text, is_heading=False)) is header


def test_single_topic_documents_get_topic_tokens_and_annual_reports_none():
    review = context_tokens("行政复议应诉报告", _paragraphs(REVIEW_REPORT))
    assert review[3] == "genre:行政复议应诉报告|heading prior:化解纠纷 pair:化解纠纷|heading"
    annual = context_tokens("年度报告", _paragraphs(ANNUAL_REPORT))
    assert not any("pair:" in tokens or "prior:" in tokens for tokens in annual)
    assert "genre:年度报告|heading" in annual[2]


def test_the_model_reads_a_bare_heading_by_its_document(model):
    """Rule 9: the same heading takes the topic in a 行政复议 report only."""
    review = model.tag_text(REVIEW_REPORT, doc="review.txt").set_index("para")
    annual = model.tag_text(ANNUAL_REPORT, doc="annual.txt").set_index("para")
    assert review.loc[3, "label"] == "化解纠纷"
    assert "pair:化解纠纷|heading" in review.loc[3, "evidence"]
    assert "pair:" not in " ".join(annual["evidence"])
    assert review.loc[0, "label"] == "其他"  # the title stays 其他


@pytest.mark.parametrize("kinds", [(), ("pair",), ("pair", "prior"), ("genre",)])
def test_context_kinds_train_and_predict(small_corpus, corpus, kinds):
    import pandas as pd

    from lawgov_cls.model import ModelConfig, train_model

    single_topic = corpus[corpus["doc"].str.contains("F_05_")]  # a 行政复议 report, whole
    model = train_model(pd.concat([small_corpus, single_topic]), ModelConfig(context=kinds))
    table = model.tag_text(REVIEW_REPORT)
    assert len(table) == len(_paragraphs(REVIEW_REPORT))
    names = model.feature_names()
    assert all(any(n.startswith(f"{k}:") for n in names) for k in kinds)
    assert not any(n.startswith(tuple(f"{k}:" for k in {"pair", "prior", "genre"} - set(kinds)))
                   for n in names)


def test_shapes_lists_every_shape_a_document_gives():
    from lawgov_cls.context import SHAPES

    given = {shape for shapes in document_shapes(_paragraphs(REVIEW_REPORT)) for shape in shapes}
    given |= set(paragraph_shapes("行政许可 | 312 | -27 | 48571", is_heading=False))
    assert given <= set(SHAPES)
