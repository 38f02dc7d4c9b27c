"""How well a coverage threshold turns predicted labels into the right covered/missing calls.

A task counts as covered in a report when it has at least ``min_paragraphs`` paragraphs and
at least ``min_share`` of the report's characters (coverage.is_covered). With the labels of
the corpus as the truth (a task is addressed when a labeller gave it at least one paragraph)
and held-out predictions (leave-one-report-out for real reports, grouped cross-validation
for authored ones), ``threshold_agreement`` counts, per rule, the (report, task) calls that
agree, the tasks called covered that the labels never give (a stray paragraph), and the
tasks called missing that the labels do give.
"""

from __future__ import annotations

import pandas as pd

from lawgov_cls.coverage import is_covered
from lawgov_cls.labels import TASK_LABELS
from lawgov_cls.segment import is_furniture


def task_table(corpus: pd.DataFrame, predictions: pd.DataFrame) -> pd.DataFrame:
    """One row per (doc, task): labelled and predicted paragraph counts and shares."""
    rows = predictions.merge(corpus[["doc", "para", "text"]], on=["doc", "para"])
    rows = rows[[not is_furniture(t) for t in rows["text"]]]
    rows = rows.assign(chars=rows["text"].str.len())
    out = []
    for doc, group in rows.groupby("doc", sort=True):
        total = group["chars"].sum()
        for task in TASK_LABELS:
            gold, pred = group["label"] == task, group["pred"] == task
            out.append({"doc": doc, "task": task, "gold_n": int(gold.sum()),
                        "gold_share": group.loc[gold, "chars"].sum() / total if total else 0.0,
                        "pred_n": int(pred.sum()),
                        "pred_share": group.loc[pred, "chars"].sum() / total if total else 0.0})
    return pd.DataFrame(out)


def threshold_agreement(tasks: pd.DataFrame, rules) -> pd.DataFrame:
    """Per (min_paragraphs, min_share) rule: calls, agreement, false covered, false missing."""
    truth = tasks["gold_n"] > 0
    table = []
    for min_paragraphs, min_share in rules:
        called = [is_covered(n, s, min_paragraphs, min_share)
                  for n, s in zip(tasks["pred_n"], tasks["pred_share"])]
        called = pd.Series(called, index=tasks.index)
        table.append({"min_paragraphs": min_paragraphs, "min_share": min_share,
                      "calls": len(tasks), "agree": round(float((called == truth).mean()), 3),
                      "covered, labels give none": int((called & ~truth).sum()),
                      "missing, labels give some": int((~called & truth).sum())})
    return pd.DataFrame(table)
