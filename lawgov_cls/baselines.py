"""Baselines a user might otherwise use, scored beside the model in every evaluation.

- ``KeywordTagger``: counts the terms that the codebook's table lists for each label and
  picks the label with most hits (其他 when nothing matches). It follows the codebook's
  term lists, not the seed reports.
- ``MajorityTagger``: always the most frequent label of its training data.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from lawgov_cls.features import normalize
from lawgov_cls.labels import (CAPACITY, DECISIONS, DISPUTES, ENFORCEMENT, FUNCTIONS, LABELS, OTHER,
                               SUPERVISION)

#: Terms from the "typical content" column of the codebook, per label.
CODEBOOK_TERMS: dict[str, tuple[str, ...]] = {
    FUNCTIONS: ("放管服", "简政放权", "行政审批", "审批制度改革", "权责清单", "权力清单", "负面清单",
                "收费清单", "证照分离", "政务服务", "一窗受理", "一网通办", "最多跑一次",
                "一件事一次办", "营商环境", "市场监管", "双随机一公开", "互联网+监管", "信用监管",
                "机构职能", "公共服务", "社会治理", "平安建设", "综治", "生态环境保护", "应急管理",
                "突发事件", "数字政府", "政务平台"),
    DECISIONS: ("重大行政决策", "决策程序", "合法性审查", "公众参与", "专家论证", "风险评估",
                "集体讨论决定", "决策后评估", "责任追究", "法律顾问", "公职律师", "规范性文件",
                "合法性审核", "备案审查", "清理", "立法", "规章"),
    ENFORCEMENT: ("综合行政执法", "执法体制改革", "执法权", "三项制度", "执法公示", "全过程记录",
                  "法制审核", "持证上岗", "资格管理", "执法培训", "两法衔接", "柔性执法",
                  "包容审慎", "首违不罚", "执法保障", "罚缴分离", "行政执法监督", "执法监督员",
                  "案卷评查", "执法检查", "行政执法", "执法人员"),
    SUPERVISION: ("人大监督", "政协民主监督", "民主监督", "司法监督", "生效裁判", "司法建议",
                  "检察建议", "审计监督", "审计", "社会监督", "舆论监督", "热线", "信箱", "投诉举报",
                  "层级监督", "政务公开", "政府信息公开", "依申请公开", "人大代表建议", "政协提案",
                  "问责", "纠错", "党风廉政", "廉洁性评估", "政务诚信"),
    DISPUTES: ("行政复议", "行政应诉", "出庭应诉", "败诉率", "人民调解", "行政调解", "司法调解",
               "大调解", "仲裁", "行政裁决", "信访", "枫桥经验", "矛盾纠纷", "诉源治理",
               "公共法律服务", "法律援助", "普法", "谁执法谁普法", "宪法宣传日", "法律明白人",
               "送法下乡"),
    CAPACITY: ("领导干部学法", "会前学法", "中心组学法", "法治专题培训", "学法考法", "法律知识考试",
               "述法", "宪法宣誓", "用人导向", "法治素养", "法治工作队伍", "学法", "守法", "用法"),
}


class KeywordTagger:
    """Label = the task label with the most codebook-term hits; 其他 when none hit.

    Ties go to the label listed first in LABELS. ``fit`` does nothing: the rules are fixed.
    """

    def __init__(self, terms: dict[str, tuple[str, ...]] | None = None):
        self.terms = terms

    def fit(self, texts=None, labels=None) -> "KeywordTagger":
        self.terms_ = self.terms or CODEBOOK_TERMS
        return self

    def predict(self, texts) -> list[str]:
        out = []
        for text in texts:
            text = normalize(text)
            hits = {label: sum(text.count(t) for t in terms) for label, terms in self.terms_.items()}
            best = max(LABELS[:-1], key=lambda label: hits.get(label, 0))
            out.append(best if hits.get(best, 0) > 0 else OTHER)
        return out


class MajorityTagger:
    """Always predicts the most frequent training label."""

    def fit(self, texts, labels) -> "MajorityTagger":
        self.label_ = Counter(labels).most_common(1)[0][0]
        return self

    def predict(self, texts) -> list[str]:
        return [self.label_] * len(list(texts))


def baseline_taggers() -> dict[str, object]:
    """The baselines by name, unfitted."""
    return {"keywords (codebook terms)": KeywordTagger(), "majority class": MajorityTagger()}


def fit_predict(tagger, train: pd.DataFrame, test: pd.DataFrame) -> list[str]:
    return tagger.fit(train["text"].tolist(), train["label"].tolist()).predict(test["text"].tolist())
