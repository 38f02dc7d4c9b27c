"""Regenerate data/README.md, the datasheet of the labelled data, from the data itself.

    python train/datasheet.py

Every count and figure in the datasheet is computed here; the prose around them is in
this file. Re-run after changing data/paragraphs.csv, data/dev.csv or data/label_passes.csv.
It retrains a few leave-one-report-out folds, so it takes a few minutes.
"""

from pathlib import Path

import pandas as pd

from lawgov_cls.card import markdown_table
from lawgov_cls.corpus import label_counts, load_corpus
from lawgov_cls.evaluate import loro_predictions, score
from lawgov_cls.labels import LABELS
from lawgov_cls.passes import agreement_table, changes_table, load_passes

DATA = Path(__file__).resolve().parent.parent / "data"  # this checkout's data, not the package's
OUT = DATA / "README.md"  # the datasheet
WRITERS = {  # what each writer (file prefix) was asked to write
    "A": "founding session: 职能/决策-focused annual, plan and department reports",
    "B": "founding session: 执法/监督-focused reports, one 政府信息公开 report",
    "C": "founding session: 化解纠纷/能力-focused reports, 述法 reports",
    "E": "single-topic 监督/决策 genres: 政府信息公开年报 and 解读, 建议提案, 审计, 决策目录 and 程序规定, 规范性文件",
    "F": "single-topic 执法/化解纠纷/能力 genres: 执法统计年报, 执法报告, 复议应诉, 矛盾纠纷, 信访, 普法, 学法通知",
    "G": "2015–2020 era: annual reports, 实施方案 with 牵头单位 lines, 工作要点, a township",
    "H": "townships, streets, and 农业农村/水利/民政/财政/医保 departments",
    "I": "2021–2025 era: boilerplate-heavy annual reports, 述法, a 实施方案",
    "X": "first dev set (single-topic genres); read once, then moved to training",
    "Y": "first dev set (annual reports, plans, 述法); read once, then moved to training",
    "Z": "second dev set (single-topic genres); read once, then moved to training",
    "W": "second dev set (single-topic genres, annual reports, plans, 述法); read once, then moved to training",
    "J": "single-topic 能力/化解纠纷 genres: 学法考法 results, 学法计划, 培训, 宪法宣誓, 述法评议, 普法, 调解, 公共法律服务, 信访",
    "K": "single-topic 决策/监督 genres: 规范性文件审查 and 清理, 合法性审查, 决策程序 and 目录, 建议提案, 审计, 政府信息公开年报",
    "L": "single-topic 执法/化解纠纷 genres: 执法统计年报, 执法报告, 三项制度, 案卷评查, 复议, 应诉, 复议统计, 调解仲裁",
    "U": "third dev set (single-topic genres); read once, then moved to training",
    "V": "third dev set (annual reports, plans, 述法, single-topic genres); read once, then moved to training",
    "M": "single-topic 决策 genres: 规范性文件备案审查, 清理, 合法性审查, 决策程序规定 and 目录, 法律顾问, 公平竞争审查",
    "N": "single-topic 化解纠纷 genres: 复议体制改革, 应诉, 出庭应诉通报, 复议统计分析, 败诉分析, 行政调解, a township's 信访",
    "O": "single-topic 监督/能力 genres: 建议提案办理 at four levels, 学法用法考试, 法治培训总结, 学法制度, 执法人员培训",
    "S": "职能 against 监督: 营商环境, 放管服, 政务服务, 审计整改, 12345热线, 政务诚信, two department annual reports",
    "P": "fourth dev set (single-topic genres, annual reports); read once, then moved to training",
    "Q": "fourth dev set (single-topic genres, annual reports, 述法); read once, then moved to training",
    "R": "fourth dev set (single-topic genres, 实施方案, 工作要点, annual reports); read once, then moved to training",
    "AC": "single-topic 化解纠纷/能力 genres with tables of varied shape: 复议, 出庭应诉, 败诉分析, 调解, 信访, 学法考试, 法律明白人",
    "AD": "single-topic 监督/决策 genres with tables of varied shape: 政府信息公开年报, 建议提案 outcomes, 文件清理, 决策目录, 法律顾问, 审计整改",
    "AE": "执法 genres with tables of varied shape (执法统计, 处罚分析, 案卷评查, 综合执法改革), and 双随机一公开, 营商环境, 12345热线",
    "T": "fifth dev set (single-topic genres, annual reports); read once, then moved to training",
    "AA": "fifth dev set (single-topic genres, annual reports, 述法); read once, then moved to training",
    "AB": "fifth dev set (single-topic genres, 实施方案, 工作要点, an annual report); read once, then moved to training",
    "AF": "sixth dev set (single-topic genres, annual reports); read once, then moved to training",
    "AG": "sixth dev set (single-topic genres, annual reports, 述法); read once, then moved to training",
    "AH": "sixth dev set (single-topic genres, 实施方案, 工作要点, an annual report); read once, then moved to training",
    "AI": "seventh dev set, read once, then moved to training: single-topic genres, a 民政局 and a street annual report",
    "AJ": "seventh dev set, read once, then moved to training: single-topic genres, a 2016 annual report, 工作要点",
    "AK": "seventh dev set, read once, then moved to training: single-topic genres, a 农业农村局 report, 实施方案 with 牵头单位, 述法",
    "AL": "seventh dev set, read once, then moved to training: single-topic genres, a 2017 annual report",
    "AP": "eighth dev set, read once, then moved to training: single-topic genres, a 司法局 and a township annual report",
    "AQ": "eighth dev set, read once, then moved to training: single-topic genres, a county annual report, 工作要点",
    "AR": "eighth dev set, read once, then moved to training: single-topic genres, a 自然资源局 report, a 2016 实施方案, 述法",
    "AS": "eighth dev set, read once, then moved to training: single-topic genres, a 2018 annual report, 法治培训",
    "AT": "ninth dev set, read once, then moved to training: single-topic genres, a street annual report, a 2017 工作要点",
    "AU": "ninth dev set, read once, then moved to training: single-topic genres, a 医保局 annual report, 述法",
    "AV": "ninth dev set, read once, then moved to training: single-topic genres, a 2019 province annual report, 实施方案 with 牵头单位",
    "AW": "ninth dev set, read once, then moved to training: single-topic genres, a township annual report, 工作要点",
    "AX": "tenth dev set (held out): single-topic genres, a 市场监管局 annual report, a 2021–2025 实施方案 with 牵头单位",
    "AY": "tenth dev set (held out): single-topic genres, a 2016 city annual report, 述法",
    "AZ": "tenth dev set (held out): single-topic genres (审计整改 and 普法 among them), a flat county annual report, 工作要点",
    "BA": "tenth dev set (held out): single-topic genres, a street annual report, a 2017 实施方案 with 牵头单位",
    "BB": "single-topic documents built around tables: header rows, two-line headers, 合计 rows, captions and notes",
    "BC": "annual reports of every level and both eras whose headings are slogans or images rather than the 纲要's terms",
    "BD": "single-topic documents where the topic meets 职能: 政务服务, 建议 on services, 双随机, 12345热线, 营商环境",
    "AM": "single-topic 职能/监督 documents with off-topic body paragraphs: 政务公开, 审计整改, 建议提案, 文件清理, 12345热线, 处罚统计",
    "AN": "single-topic 执法/化解纠纷/能力 documents with off-topic body paragraphs: 执法, 败诉分析, 复议, 调解, 公共法律服务, 学法清单, 督察",
    "AO": "2015–2020-era plans and reports: 实施方案 and 工作要点 with 牵头单位, flat and township reports, 财政 and 医保, 听证",
}

TEMPLATE = """# Datasheet: data/paragraphs.csv and data/dev.csv

*Generated by `python train/datasheet.py`; edit the prose there, not here.*

## What it is
One row per paragraph: `doc`, `para` (0-based index in the document), `text`, `label` (one of
{labels}), `also` (secondary labels, `;`-separated), `source` and `heading` (nearest heading
above, as the splitter finds it). UTF-8, no BOM. `data/paragraphs.csv` ({rows} rows) is the
training data; `data/dev.csv` ({dev_rows} rows in {dev_docs} documents) is the held-out dev set,
never used for training or for choosing settings.

## Where the texts come from
- **seed** ({n_seed} rows): every paragraph of the five real reports in `seeds/` — a county
  annual report (2019), a district annual report (2023), a county 实施方案 (2016—2020), a
  township report (2022) and a town report (2024), as saved from government web pages,
  page furniture included. They are the only real text, scored by leave-one-report-out.
- **authored** ({n_authored} rows in {n_authored_docs} files under `data/authored/`) and **dev**
  (`data/dev/`): whole documents written in the register of real reports by LLM-based
  writing helpers, each briefed with the codebook and one set of genres, none shown another
  writer's files; invented places and figures; no text copied from any web page, repository
  or seed. The dev writers never saw the training rows. The first dev set (writers X, Y) was
  read once with the first model that used document context; its figures are kept in the
  README, and it then joined the training data; so did the second (writers Z, W), the
  third (U, V), the fourth (P, Q, R), the fifth (T, AA, AB), the sixth (AF, AG, AH) and
  the seventh (AI, AJ, AK, AL), the eighth (AP, AQ, AR, AS) and the ninth (AT, AU, AV, AW)
  after their one read each; the tenth (writers AX, AY, AZ, BA; 36 documents, 28 of them
  single-topic, as many as the seventh to ninth, so that no label rests on a paragraph or
  two there), written the same way, is the held-out set now.
- **reviewed**: paragraphs of real reports corrected by analysts with `lawgov-cls review` and
  `lawgov-cls add-labels` (none yet). They count as real documents in leave-one-report-out.

{writer_table}

## How it was split and labelled
Seeds were read and split by the project's own reader and splitter (`lawgov_cls.read`,
`lawgov_cls.segment`), the code that tagging uses; a test re-splits the seeds and checks
`doc`/`para`/`text`/`heading` are reproduced exactly. Authored and dev files hold one
paragraph per line (`LABEL<TAB>TEXT`), normalised and split by the same code
(`train/build_corpus.py`). Seed labels were given by one annotator per report and reviewed by
the maintainer. Authored and dev labels went through two passes: the writer's (first pass),
and an independent second annotator's, who saw each whole document but not the first labels;
where the two differed, an adjudicator decided by the codebook's rules, recording the rule
and a reason. Afterwards, decisions recorded in `data/GUIDELINES.md` that both passes had
missed or split on were applied to every document by `train/part_headings.py` (`decided` =
`project decision`): headings that name a part of a report rather than its subject (一、总体情况,
二、主要做法, 主要工作措施, 办理成效, 总则 …) are 其他 in single-topic documents too, as rule 7's
example 「一、主要举措和成效」 → 其他 says (the decision revised before the seventh dev set was read; before it
the same heading was 其他 in some documents and the topic in others). All passes are in `data/label_passes.csv`. The annotators are LLM helpers
briefed with the same codebook: they share habits, so their agreement overstates what two
human coders would reach.

Agreement of the two passes on the primary label, by writer:

{agreement_table}

The most frequent changes from the first pass to the final label (most came from rule 7 —
topical headings the founding writer B had labelled 其他 — and from rule 9 on the openings,
headings and statistics of single-topic documents):

{changes_table}

## Counts per label

Training data (`data/paragraphs.csv`) by source, and the dev set:

{label_table}

## Seed documents

{doc_table}

## What the authored examples add
Leave-one-report-out on the seeds, the default model trained with and without them:

{measure_table}

## Known ambiguities
- 第一责任人 paragraphs mix the organisational duty (其他) with the leader's own law study
  (能力); the label follows the larger part.
- 法律顾问 paragraphs serve decisions (决策) and villagers' disputes (化解纠纷) in one breath.
- 存在问题 and 下一步 lists often name three or more tasks with no majority (→ 其他), and
  the character counts that decide them are close.
- In single-topic documents the line between an opening or statistics paragraph (the
  document's topic, rule 9) and a body paragraph about another task (its own topic) is a
  judgement; so is whether a generic heading (一、总体情况) is structural or topical (decided
  first topical, then, from the seventh dev set on, structural: rule 7's example).
- Lines of an 实施方案 that only name the 牵头单位/责任单位 of the task above were decided
  其他 (they name no task).
- Authored text is cleaner than real reports: fewer typos, more even topics.
"""


def main() -> None:
    corpus = load_corpus(DATA / "paragraphs.csv")
    dev = load_corpus(DATA / "dev.csv")
    seeds = corpus[corpus["source"] == "seed"]
    authored = corpus[corpus["source"] == "authored"]
    docs = pd.crosstab(seeds["doc"], seeds["label"]).reindex(columns=list(LABELS), fill_value=0)
    docs["total"] = docs.sum(axis=1)
    both = pd.concat([corpus, dev])
    writer = both["doc"].str.extract(r"/([A-Z]{1,2})_")[0]
    by_writer = pd.crosstab(writer, both["label"]).reindex(columns=list(LABELS), fill_value=0)
    by_writer.insert(0, "files", both.groupby(writer)["doc"].nunique())
    by_writer["total"] = by_writer[list(LABELS)].sum(axis=1)
    by_writer["what was asked"] = [WRITERS.get(w, "") for w in by_writer.index]
    by_writer.index.name = "writer"
    labels = label_counts(corpus)
    labels.insert(len(labels.columns), "dev", dev["label"].value_counts().reindex(list(LABELS),
                                                                                  fill_value=0))
    passes = load_passes(DATA / "label_passes.csv")
    measure = []
    for name, use in (("with authored documents", True), ("seeds only", False)):
        pred = loro_predictions(corpus, use_authored=use)
        s = score(pred["label"], pred["pred"])
        measure.append({"training": name, "macro_f1_tasks": s["macro_f1_tasks"],
                        "accuracy": s["accuracy"]})
    text = TEMPLATE.format(
        labels=", ".join(LABELS), rows=len(corpus), dev_rows=len(dev),
        dev_docs=dev["doc"].nunique(), n_seed=len(seeds), n_authored=len(authored),
        n_authored_docs=authored["doc"].nunique(),
        writer_table=markdown_table(by_writer, index=True),
        agreement_table=markdown_table(agreement_table(passes)),
        changes_table=markdown_table(changes_table(passes)),
        label_table=markdown_table(labels, index=True),
        doc_table=markdown_table(docs, index=True),
        measure_table=markdown_table(pd.DataFrame(measure)))
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
