"""The label set: the single source of truth for category names and their order.

The six task labels follow the tasks of 《法治政府建设实施纲要》; 其他 is everything else.
See data/GUIDELINES.md for what each label covers.
"""

from __future__ import annotations

FUNCTIONS = "职能"
DECISIONS = "决策"
ENFORCEMENT = "执法"
SUPERVISION = "监督"
DISPUTES = "化解纠纷"
CAPACITY = "能力"
OTHER = "其他"

#: All labels, in the canonical order used for columns, reports and matrices.
LABELS: tuple[str, ...] = (FUNCTIONS, DECISIONS, ENFORCEMENT, SUPERVISION, DISPUTES, CAPACITY, OTHER)

#: The six 纲要 task labels (everything but 其他): coverage is measured on these.
TASK_LABELS: tuple[str, ...] = LABELS[:-1]

#: One line per label, for help texts and the README.
DESCRIPTIONS: dict[str, str] = {
    FUNCTIONS: "依法全面履行政府职能: 放管服, 审批改革, 清单, 政务服务, 营商环境, 市场监管, 社会治理, 应急",
    DECISIONS: "行政决策科学化民主化法治化: 重大决策程序, 合法性审查, 法律顾问, 规范性文件, 立法",
    ENFORCEMENT: "严格规范公正文明执法: 执法体制改革, 三项制度, 执法人员资格与培训, 执法监督",
    SUPERVISION: "行政权力的制约和监督: 人大政协司法审计监督, 政务公开, 建议提案办理, 问责",
    DISPUTES: "依法化解社会矛盾纠纷: 行政复议与应诉, 调解, 信访, 公共法律服务, 面向群众的普法",
    CAPACITY: "工作人员法治思维和依法行政能力: 领导干部学法, 法治培训, 学法考法, 述法",
    OTHER: "不属于以上任务: 页面杂项, 标题, 落款, 党的领导与组织保障, 综述",
}


#: Document genres, decided by structure.check_structure. 年度报告 is the annual 法治政府建设
#: report that the 2019 督察工作规定 requires; the others are plans or single-topic reports.
ANNUAL_REPORT = "年度报告"
UNKNOWN_GENRE = "未知"
GENRES: tuple[str, ...] = (
    ANNUAL_REPORT, "实施方案", "工作要点", "述法报告", "政府信息公开年度报告", "建议提案办理",
    "审计报告", "行政执法报告", "重大行政决策", "规范性文件审查", "行政复议应诉报告",
    "矛盾纠纷化解", "普法报告", "法治培训", UNKNOWN_GENRE,
)

#: The task label that a single-topic genre is about, as context for the tagging model.
#: Annual reports, plans, 述法 and unknown documents span many tasks and are not mapped.
GENRE_TOPIC: dict[str, str] = {
    "政府信息公开年度报告": SUPERVISION, "建议提案办理": SUPERVISION, "审计报告": SUPERVISION,
    "行政执法报告": ENFORCEMENT,
    "重大行政决策": DECISIONS, "规范性文件审查": DECISIONS,
    "行政复议应诉报告": DISPUTES, "矛盾纠纷化解": DISPUTES, "普法报告": DISPUTES,
    "法治培训": CAPACITY,
}


def check_label(label: str) -> str:
    """Return ``label`` unchanged if it is in the label set, else raise ValueError."""
    if label not in LABELS:
        raise ValueError(f"unknown label {label!r}; expected one of {', '.join(LABELS)}")
    return label
