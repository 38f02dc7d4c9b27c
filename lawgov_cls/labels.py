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


def check_label(label: str) -> str:
    """Return ``label`` unchanged if it is in the label set, else raise ValueError."""
    if label not in LABELS:
        raise ValueError(f"unknown label {label!r}; expected one of {', '.join(LABELS)}")
    return label
