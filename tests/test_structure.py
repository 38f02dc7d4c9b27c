"""The structure check: genre, title, year, publication date, lateness, required parts."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from click.testing import CliRunner

from lawgov_cls.cli import cli
from lawgov_cls.labels import ANNUAL_REPORT, GENRE_TOPIC, GENRES, TASK_LABELS, UNKNOWN_GENRE
from lawgov_cls.read import read_report
from lawgov_cls.segment import split_paragraphs
from lawgov_cls.structure import (PARTS, STRUCTURE_COLUMNS, check_structure, heading_parts,
                                  parse_deadline, summarize_structure)
from lawgov_cls.structure_eval import (LABELS_PATH, document_text, load_structure_labels,
                                       structure_accuracy)

# --- the seeds: what a reader sees --------------------------------------------------------


def seed(seed_paths, number: str) -> str:
    return read_report(next(p for p in seed_paths if p.name.startswith(number)))


def test_seed_000_is_a_2019_report_published_late_with_all_parts(seed_paths):
    s = check_structure(seed(seed_paths, "000"))
    assert (s.genre, s.year, s.published, s.late) == (ANNUAL_REPORT, 2019, "2020-06-01", True)
    assert s.parts_missing == () and s.parts_present == PARTS
    assert s.title == "通江县2019年度法治政府建设工作情况报告"


def test_seed_002_is_an_implementation_plan_and_not_checked(seed_paths):
    s = check_structure(seed(seed_paths, "002"))
    assert s.genre == "实施方案"
    assert s.late is None and s.parts_missing == () and s.parts_present == ()
    assert (s.year, s.published) == (2016, "2017-08-24")


def test_seed_003_has_no_title_and_no_publication_date(seed_paths):
    s = check_structure(seed(seed_paths, "003"))
    assert (s.genre, s.title, s.year, s.published, s.late) == (ANNUAL_REPORT, "", 2022, "", None)
    assert s.parts_missing == ()


@pytest.mark.parametrize("number, year, published", [("001", 2023, "2024-01-25"),
                                                     ("004", 2024, "2025-03-26")])
def test_other_seeds_are_on_time_with_all_parts(seed_paths, number, year, published):
    s = check_structure(seed(seed_paths, number))
    assert (s.genre, s.year, s.published, s.late, s.parts_missing) == (
        ANNUAL_REPORT, year, published, False, ())


def _drop_section(text: str, start: str, stop: str) -> str:
    lines = text.split("\n")
    i = next(k for k, line in enumerate(lines) if line.strip().startswith(start))
    j = next(k for k, line in enumerate(lines) if k > i and line.strip().startswith(stop))
    return "\n".join(lines[:i] + lines[j:])


def test_seed_000_without_its_shortcomings_section_misses_buzu(seed_paths):
    text = _drop_section(seed(seed_paths, "000"), "二、存在的不足", "、党政主要负责人")
    assert "存在的不足" not in text
    s = check_structure(text)
    assert s.parts_missing == ("不足",)
    assert s.late is True  # the rest of the check is unchanged


@pytest.mark.parametrize("start, stop, missing", [
    ("三、2024年度党政主要负责人", "四、下一步打算", "第一责任人"),
    ("四、下一步打算", "分享到", "下年安排"),
    ("一主要举措和成效", "二、存在的不足", "成效"),
])
def test_seed_004_without_a_section_misses_that_part(seed_paths, start, stop, missing):
    s = check_structure(_drop_section(seed(seed_paths, "004"), start, stop))
    assert s.parts_missing == (missing,)


def test_paragraphs_and_texts_give_the_same_result_as_raw_text(seed_paths):
    text = seed(seed_paths, "000")
    paragraphs = split_paragraphs(text)
    assert (check_structure(text) == check_structure(paragraphs)
            == check_structure([p.text for p in paragraphs]))


# --- synthetic reports --------------------------------------------------------------------

RESULTS = ["(一)深化放管服改革。全年取消行政许可事项12项,政务服务事项全部实现网上可办。",
           "(二)严格规范公正文明执法。全面推行行政执法三项制度,评查执法案卷300卷。"]
PROBLEMS = ["一是基层执法力量薄弱,执法人员专业化水平不高。二是依法决策意识仍需增强。"]
LEADER = ["县长认真履行推进法治建设第一责任人职责,全年主持召开常务会议研究法治工作5次。"]
PLAN = ["一是深化行政执法体制改革;二是推进行政复议规范化建设。"]
HEADINGS = {"成效": "主要举措和成效", "不足": "存在的不足和原因",
            "第一责任人": "党政主要负责人履行推进法治建设第一责任人职责情况",
            "下年安排": "2024年推进法治政府建设的主要安排"}
BODIES = {"成效": RESULTS, "不足": PROBLEMS, "第一责任人": LEADER, "下年安排": PLAN}
NUMERALS = "一二三四五六"


def report(parts=PARTS, title="某县2023年度法治政府建设情况报告", published="2024-02-20",
           headings=None) -> str:
    """An annual report with a numbered top-level section per part, in the order given."""
    headings = headings or HEADINGS
    lines = [title, f"发布日期:{published}" if published else "",
             "2023年,我县坚持以习近平法治思想为指导,扎实推进法治政府建设。"]
    for number, part in zip(NUMERALS, parts):
        lines += [f"{number}、{headings[part]}", *BODIES[part]]
    return "\n".join(lines + ["某县人民政府"])


@pytest.mark.parametrize("order", list(itertools.permutations(PARTS))[::5])
def test_parts_are_found_in_any_order(order):
    assert check_structure(report(order)).parts_missing == ()


@pytest.mark.parametrize("missing", PARTS)
def test_a_missing_part_is_named(missing):
    s = check_structure(report([p for p in PARTS if p != missing]))
    assert s.parts_missing == (missing,)


@pytest.mark.parametrize("line, parts", [
    ("三、存在的问题和下一步打算", {"不足", "下年安排"}),
    ("二、存在的不足及2024年工作思路", {"不足", "下年安排"}),
    ("一、工作成效和存在问题", {"成效", "不足"}),
    ("四、2020工作打算", {"下年安排"}),
    ("三、主要负责人履职情况", {"第一责任人"}),
    ("五、其他需要报告的事项", set()),
    ("二、依法全面履行政府职能", set()),
    ("四、锚定2024年目标,跑好法治建设“接力赛”", {"下年安排"}),  # the next year, as a slogan
    ("三、2024年:在“补短板、强监管”上再用力", {"下年安排"}),
    ("一、2023年工作开展情况", {"成效"}),                       # the report's own year
    ("二、2024年以来的新进展", {"成效"}),                      # 'since': not a plan
])
def test_heading_vocabulary(line, parts):
    assert heading_parts(line, 2019 if "2020" in line else 2023) == parts


def test_two_parts_merged_under_one_heading_are_both_present():
    text = report(["成效", "第一责任人"]) + "\n三、存在的不足和下一步打算\n" + PROBLEMS[0] + "\n" + PLAN[0]
    assert check_structure(text).parts_missing == ()


@pytest.mark.parametrize("bad_heading", ["、存在的不足和原因", "二存在的不足和原因"])
def test_a_top_level_heading_that_lost_its_numbering_still_counts(bad_heading):
    good = report()
    assert "二、存在的不足和原因" in good
    assert check_structure(good.replace("二、存在的不足和原因", bad_heading)).parts_missing == ()


def test_2021_2025_structure_by_the_eight_systems():
    """Results reported under the 纲要 (2021–2025) systems, the leader's duty first."""
    systems = ["健全政府机构职能体系,推动更好发挥政府作用", "健全依法行政制度体系",
               "健全行政决策制度体系", "健全行政执法工作体系"]
    lines = ["某市2022年度法治政府建设情况报告", "发布时间:2023-03-28",
             "一、党政主要负责人履行推进法治建设第一责任人职责情况", LEADER[0]]
    for number, system in zip("二三四五", systems):
        lines += [f"{number}、{system}", RESULTS[0]]
    lines += ["六、存在的不足和原因", PROBLEMS[0], "七、2023年推进法治政府建设的主要安排", PLAN[0]]
    s = check_structure("\n".join(lines))
    assert (s.year, s.late, s.parts_missing) == (2022, False, ())


def test_a_leader_duty_only_planned_for_next_year_is_missing():
    planned = ["(一)压实党政主要负责人履行推进法治建设第一责任人职责。"]
    text = report(["成效", "不足", "下年安排"]).replace(PLAN[0], PLAN[0] + "\n" + planned[0])
    assert check_structure(text).parts_missing == ("第一责任人",)


FLAT = ["某镇2024年法治政府建设情况报告", "县司法局:",
        "一年来,我镇深入推进依法行政,各项工作取得新进展。",
        "镇便民服务中心全年办理事项5000余件,群众满意率99%。",
        "镇党委书记作为推进法治建设第一责任人,全年主持研究法治工作4次。",
        "对照上级要求,我镇法治建设还存在一些不足:执法力量薄弱,普法形式单一。",
        "2025年,我镇将继续深化法治政府建设,重点抓好执法规范化。",
        "某镇人民政府", "2025年2月10日"]


def test_a_flat_report_is_read_from_its_paragraphs():
    s = check_structure("\n".join(FLAT))
    assert (s.genre, s.year, s.published, s.parts_missing) == (ANNUAL_REPORT, 2024, "2025-02-10", ())


@pytest.mark.parametrize("drop, missing", [(5, ("不足",)), (6, ("下年安排",)), (4, ("第一责任人",))])
def test_a_flat_report_without_a_part(drop, missing):
    assert check_structure("\n".join(FLAT[:drop] + FLAT[drop + 1:])).parts_missing == missing


# --- genre, title, year, dates -------------------------------------------------------------

GENRE_TITLES = {
    "年度报告": ["某县2023年度法治政府建设情况报告", "某市公安局2022年度法治公安建设工作报告",
             "某镇2017年依法行政工作总结", "某区2023年法治政府建设年度报告"],
    "实施方案": ["某县法治政府建设实施方案(2021—2025年)",
             "某县人民政府关于印发《某县法治政府建设实施方案》的通知"],
    "工作要点": ["某市2024年法治政府建设工作要点"],
    "述法报告": ["某县县长2023年度述法报告"],
    "政府信息公开年度报告": ["某市人民政府2022年政府信息公开工作年度报告",
                   "《某区2021年政府信息公开工作年度报告》解读"],
    "建议提案办理": ["关于2022年度人大代表建议和政协委员提案办理工作情况的报告"],
    "审计报告": ["某区审计局2017年工作总结"],
    "行政执法报告": ["某县2019年度行政执法统计年报", "关于赋予乡镇行政执法权承接运行情况的报告",
               "2018年全省生态环境行政处罚案件统计分析"],
    "重大行政决策": ["某省人民政府2025年度重大行政决策事项目录", "某市重大行政决策程序规定",
               "某市人民政府关于公布2022年度重大行政决策事项目录的决定"],
    "规范性文件审查": ["关于2016年度规范性文件备案审查工作情况的报告", "某县司法局合法性审查工作情况报告",
                "某市人民政府关于2020年规范性文件清理结果的公告"],
    "行政复议应诉报告": ["某市2020年度行政复议和行政应诉工作情况通报",
                  "某市2025年度行政诉讼案件败诉情况分析"],
    "矛盾纠纷化解": ["某街道2016年信访工作总结", "某区2018年矛盾纠纷排查化解工作总结",
                     "某市公共法律服务体系建设情况报告", "某县2025年行政执法与调解衔接工作情况报告"],
    "普法报告": ["2022年全省普法依法治理工作总结", "某县2024年度“谁执法谁普法”普法责任制落实情况报告"],
    "法治培训": ["关于开展2023年度领导干部学法考法工作的通知", "某厅2025年度法治培训计划",
             "某市普法办关于2019年度全市国家工作人员网上学法考试情况的通报"],
    "未知": ["某县人民政府2021年度政府法律顾问工作情况报告"],
}


def test_every_genre_has_title_cases():
    assert set(GENRE_TITLES) == set(GENRES)


@pytest.mark.parametrize("genre, title", [(g, t) for g, ts in GENRE_TITLES.items() for t in ts])
def test_genre_from_the_title(genre, title):
    s = check_structure(f"{title}\n发布日期:2024-01-10\n一、基本情况\n全年办理事项100件。\n二、下一步打算\n持续推进。")
    assert s.genre == genre and s.title == title
    if genre != ANNUAL_REPORT:
        assert s.parts_missing == () and s.late is None


def test_single_topic_genres_map_to_task_labels():
    assert set(GENRE_TOPIC) < set(GENRES)
    assert set(GENRE_TOPIC.values()) <= set(TASK_LABELS)
    for unmapped in (ANNUAL_REPORT, "实施方案", "工作要点", "述法报告", UNKNOWN_GENRE):
        assert unmapped not in GENRE_TOPIC


def test_a_breadcrumb_ending_like_a_title_is_not_the_title():
    s = check_structure("某市人民政府门户网站 | 政务公开 | 政策文件 | 工作要点\n"
                        "某市2021年法治政府建设工作要点\n一、深化放管服改革\n全面推行证明事项告知承诺制。")
    assert (s.title, s.genre) == ("某市2021年法治政府建设工作要点", "工作要点")


@pytest.mark.parametrize("above", [
    "某县人民政府网 - 部门信息 - 县教育局 - 工作总结",
    "某县人民政府门户网站　　政府信息公开目录",
    "索 引 号:11420105MB/2022-00031　　分 类:综合政务\\通知公告",
])
def test_site_and_metadata_lines_ending_like_a_title_are_not_the_title(above):
    title = "某县人民政府关于2020年行政复议工作情况的报告"
    s = check_structure(f"{above}\n{title}\n一、收案情况\n全年收到行政复议申请52件。")
    assert (s.title, s.genre) == (title, "行政复议应诉报告")


def test_a_title_from_a_metadata_field_or_with_a_colon():
    s = check_structure("某县人民政府门户网站　　政府信息公开目录\n"
                        "信息名称:某县人民政府关于2020年行政复议工作情况的报告\n全年收到行政复议申请52件。")
    assert s.title == "某县人民政府关于2020年行政复议工作情况的报告"
    title = "图文解读:《某区人民政府2021年政府信息公开工作年度报告》"
    assert check_structure(f"{title}\n一、总体情况\n主动公开信息1200条。").title == title


def test_an_untitled_text_without_report_structure_is_unknown():
    assert check_structure("全年办理事项100件。\n群众满意率99%。").genre == UNKNOWN_GENRE


@pytest.mark.parametrize("lines, published", [
    (["发布时间:2020年06月01日来源:县司法局"], "2020-06-01"),
    (["【发布日期:2022-03-02】【来源:县司法局】"], "2022-03-02"),
    (["成文日期:2023-05-10 发布日期:2023-05-16"], "2023-05-16"),
    (["发文时间: 2024-01-19 |"], "2024-01-19"),
    (["来源:县司法局 2024-01-26"], "2024-01-26"),
    ([], "2024-01-19"),  # the date under the signature
])
def test_publication_date_formats(lines, published):
    text = "\n".join(["某县2023年度法治政府建设情况报告", *lines, "一、主要成效", RESULTS[0],
                      "某县人民政府", "2024年1月19日"])
    assert check_structure(text).published == published


@pytest.mark.parametrize("signature, published", [
    ("二〇二四年一月十九日", "2024-01-19"), ("2024.1.19", "2024-01-19"),
    ("某县人民政府办公室 2024年1月19日印发", "2024-01-19"), ("2024年13月1日", ""),
])
def test_signature_dates(signature, published):
    text = "\n".join(["某县2023年度法治政府建设情况报告", "一、主要成效", RESULTS[0], signature])
    assert check_structure(text).published == published


@pytest.mark.parametrize("title, lead, signature, year", [
    ("某县法治政府建设工作情况报告", "今年以来,我县扎实推进法治政府建设。", "2020年3月12日", 2019),
    ("某县法治政府建设工作情况报告", "今年以来,我县扎实推进法治政府建设。", "2020年12月20日", 2020),
    ("某县法治政府建设工作情况报告", "2021年,我县扎实推进法治政府建设。", "2022年3月1日", 2021),
    ("某局2017年工作总结和2018年工作思路", "一年来,我局依法审计。", "2018年1月10日", 2017),
    ("某县法治政府建设实施方案(2016—2020年)", "为推进法治政府建设,制定本方案。", "2016年9月1日", 2016),
])
def test_the_year_a_report_covers(title, lead, signature, year):
    text = "\n".join([title, lead, "一、主要成效", RESULTS[0], "某县人民政府", signature])
    assert check_structure(text).year == year


@pytest.mark.parametrize("published, deadline, late", [
    ("2024-04-01", (4, 1), False), ("2024-04-02", (4, 1), True), ("2023-12-30", (4, 1), False),
    ("2024-03-02", (3, 1), True), ("", (4, 1), None),
])
def test_late_against_the_deadline(published, deadline, late):
    assert check_structure(report(published=published), deadline).late is late


@pytest.mark.parametrize("text, expected", [("04-01", (4, 1)), ("3-1", (3, 1))])
def test_parse_deadline(text, expected):
    assert parse_deadline(text) == expected


@pytest.mark.parametrize("text", ["0401", "13-01", "02-30", "02-29", "April 1", ""])
def test_parse_deadline_refuses_bad_days(text):
    with pytest.raises(ValueError, match="deadline"):
        parse_deadline(text)


# --- batch summary and the command line ----------------------------------------------------


def test_summary_counts_late_reports_and_missing_parts():
    rows = [{"doc": "a", **check_structure(report(published="2024-05-01")).row()},
            {"doc": "b", **check_structure(report(["成效", "下年安排"])).row()},
            {"doc": "c", **check_structure(report(published="")).row()},
            {"doc": "d", **check_structure("某市2024年法治政府建设工作要点\n一、加强领导").row()},
            {"doc": "(all reports)", "genre": ""}]
    summary = summarize_structure(rows)
    assert (summary.reports, summary.annual, summary.genres["工作要点"]) == (4, 3, 1)
    assert summary.late == ["a"] and summary.undated == ["c"]
    assert summary.missing == {"成效": [], "不足": ["b"], "第一责任人": ["b"], "下年安排": []}
    text = "\n".join(summary.lines())
    assert "published late: 1 (a)" in text and "missing 不足: 1 (b)" in text


def test_cli_coverage_has_structure_columns_and_summary(seed_paths, tmp_path):
    out = tmp_path / "cov"
    result = CliRunner().invoke(cli, ["coverage", str(seed_paths[0].parent), "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "coverage.csv", keep_default_na=False, dtype=str).set_index("doc")
    assert set(STRUCTURE_COLUMNS) <= set(table.columns)
    row = table.loc["000_61e82024cf361030.txt"]
    assert (row["genre"], row["year"], row["published"], row["late"], row["parts_missing"]) == (
        "年度报告", "2019", "2020-06-01", "True", "")
    assert table.loc["002_0e4f05fe14b5144d.txt", "late"] == ""
    assert table.loc["003_5261484f15f63fb0.txt", "published"] == ""
    assert "published late: 1 (000_61e82024cf361030.txt)" in result.output


def test_cli_deadline_option(seed_paths, tmp_path):
    seed_004 = next(p for p in seed_paths if p.name.startswith("004"))
    result = CliRunner().invoke(cli, ["coverage", str(seed_004), "--out", str(tmp_path / "o"),
                                      "--deadline", "03-01"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(tmp_path / "o" / "coverage.csv", keep_default_na=False, dtype=str)
    assert table.loc[0, "late"] == "True"  # published 2025-03-26
    bad = CliRunner().invoke(cli, ["coverage", str(seed_004), "--out", str(tmp_path / "b"),
                                   "--deadline", "04-31"])
    assert bad.exit_code == 2 and "deadline" in bad.output and "Traceback" not in bad.output


# --- the labelled documents ----------------------------------------------------------------


@pytest.fixture(scope="module")
def structure_labels():
    return load_structure_labels(LABELS_PATH)


def test_labels_cover_the_seeds_and_every_genre(structure_labels, seed_paths):
    docs = set(structure_labels["doc"])
    assert {f"seeds/{p.name}" for p in seed_paths} <= docs
    assert not structure_labels["doc"].duplicated().any()
    development = structure_labels[structure_labels["split"] != "dev"]
    assert set(development["genre"]) == set(GENRES)
    annual = structure_labels["genre"] == ANNUAL_REPORT
    assert (structure_labels.loc[annual, "parts"] != "").all()
    assert (structure_labels.loc[~annual, "parts"] == "").all()


def test_every_labelled_document_can_be_read(structure_labels):
    for doc in structure_labels["doc"]:
        assert document_text(doc).strip(), doc


#: Share right per field that the rules must keep: on the documents they were developed on
#: (seed and authored) and on the held-out dev documents (see README for the figures). The
#: dev set has four or five annual reports, so one miss in a part is 0.75–0.8 and would fail
#: it; its floor is 0.80, the lowest field of a dev read so far but the issuer (the present
#: set's read: genre 0.944, the rest but the issuer higher), a guard, not a target.
FLOORS = {"development": 0.95, "dev": 0.80}
#: The issuer is often not in the text at all (a 述法 report signed by a person, a web page
#: without a signature, only a 来源 line), and writers named it differently (a 述法 report's
#: signer with or without the office, a report delivered 受市人民政府委托 by a 司法局); its
#: floors are lower: 0.88 on the development documents (0.883 on 512), and 0.75 on dev
#: (the present dev set's one read gave 0.778; the seventh's 0.750, the lowest so far).
ISSUER_FLOORS = {"development": 0.88, "dev": 0.75}


def test_share_right_on_the_labelled_documents_stays_above_the_floors(structure_labels):
    table = structure_accuracy(structure_labels).set_index("split")
    for split, floor in FLOORS.items():
        scores = table.loc[split].drop(["documents", "annual reports", "issuer"])
        assert (scores >= floor).all(), (split, scores[scores < floor])
        assert table.loc[split, "issuer"] >= ISSUER_FLOORS[split], split


# --- issuing body ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, issuer", [
    # signature block above the date; joint issuers on one line or two
    ("某县2023年度法治政府建设情况报告\n推进依法行政。\n某县人民政府\n2024年1月31日", "某县人民政府"),
    ("某镇2021年法治政府建设情况报告\n推进依法行政。\n中共某镇委员会 某镇人民政府\n2021年12月8日",
     "中共某镇委员会、某镇人民政府"),
    ("某镇2021年法治政府建设情况报告\n推进依法行政。\n中共某镇委员会\n某镇人民政府\n2022年1月10日",
     "中共某镇委员会、某镇人民政府"),
    # a damaged date and an attachment line under the signature
    ("某县2019年度法治政府建设工作情况报告\n推进依法行政。\n某县人民政府\n2020312", "某县人民政府"),
    ("某县2019年度行政执法统计年报\n推进依法行政。\n某县人民政府\n2020年1月20日\n相关附件:汇总表.xls",
     "某县人民政府"),
    # no signature: the title names the issuer
    ("某市司法局关于2022年度行政复议工作情况的报告\n一、基本情况\n办理行政复议案件12件。", "某市司法局"),
    ("某县教育局2022年度法治政府建设情况报告\n一、基本情况\n开展学法活动。", "某县教育局"),
    # a 述法 report signed by a person, or by a person for a body
    ("某局局长2023年度述法报告\n本人认真履行职责。\n述法人:某区某局局长 张三\n2024年1月15日", "张三"),
    ("某局局长2024年度述法报告\n本人认真履行职责。\n某市生态环境局 李四\n2025年1月15日", "某市生态环境局"),
    # no signature, no issuer in the title: the website's metadata field; 来源 is not one
    ("关于2022年度规范性文件备案审查情况的通报\n发布机构:某区人民政府法制办公室　　发文字号:某法〔2022〕3号\n"
     "一、基本情况\n审查文件12件。", "某区人民政府法制办公室"),
    ("关于2022年度行政执法情况的报告\n发布时间:2023-01-30　　来源:县司法局\n一、基本情况\n办理案件12件。", ""),
    # nothing says: a place is not a body, and a website footer is not a signature
    ("某市2024年法治政府建设工作要点\n一、加强领导\n推进依法行政。", ""),
    ("关于举办2024年全市领导干部法治专题培训班的通知\n一、培训主题\n学习宪法。", ""),
    ("某县2022年普法工作总结\n开展普法。\n某县人民政府办公室主办、某县大数据局承办", ""),
])
def test_issuer_from_signature_title_or_nothing(text, issuer):
    assert check_structure(text).issuer == issuer


def test_issuer_is_a_coverage_column(seed_path, tmp_path):
    out = tmp_path / "o"
    assert CliRunner().invoke(cli, ["coverage", str(seed_path), "--out", str(out), "-q"]).exit_code == 0
    table = pd.read_csv(out / "coverage.csv", keep_default_na=False)
    assert table.loc[0, "issuer"] == "通江县人民政府"  # from the signature above '2020312'
