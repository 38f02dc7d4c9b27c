"""The two labelling passes over the authored and dev documents, and what they decided.

``data/label_passes.csv`` holds, per paragraph, the writer's label (first pass), the label
of an independent second annotator who saw the text but not the first label, and the
final label: the agreed one, or, where they differed, the decision of an adjudicator who
applied the codebook (with the rule and a reason). ``decided`` is ``agreed``,
``adjudicated``, or ``project decision``: a row whose final label a decision recorded in
GUIDELINES.md sets afterwards, whatever the passes said (apply_part_headings), so that the
same kind of paragraph carries the same label everywhere. These functions summarise it for
the datasheet.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from lawgov_cls.labels import LABELS, OTHER

DEFAULT_PASSES = Path(__file__).resolve().parent.parent / "data" / "label_passes.csv"


def load_passes(path: str | Path = DEFAULT_PASSES) -> pd.DataFrame:
    """The passes table, with a ``set`` column: writer letter and split of each document."""
    passes = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    name = passes["doc"].str.split("/").str[-1]
    passes["writer"] = name.str.extract(r"^([A-Z]{1,2})_")[0]
    passes["split"] = passes["doc"].str.split("/").str[0]
    return passes


def _kappa(a: pd.Series, b: pd.Series) -> float:
    from sklearn.metrics import cohen_kappa_score

    return round(float(cohen_kappa_score(a, b, labels=list(LABELS))), 3)


def agreement_table(passes: pd.DataFrame, by: str = "writer") -> pd.DataFrame:
    """Per group and overall: paragraphs, primary-label agreement of the two passes,
    Cohen's kappa, and how many labels the final decision changed from the first pass."""
    rows = []
    groups = list(passes.groupby(by, sort=True)) + [("all", passes)]
    for name, part in groups:
        rows.append({by: name, "paragraphs": len(part),
                     "agreement": round(float((part["first_label"] == part["second_label"]).mean()), 3),
                     "kappa": _kappa(part["first_label"], part["second_label"]),
                     "adjudicated": int((part["decided"] == "adjudicated").sum()),
                     "by recorded decision": int((part["decided"] == "project decision").sum()),
                     "changed from first pass": int((part["first_label"] != part["label"]).sum())})
    return pd.DataFrame(rows)


def changes_table(passes: pd.DataFrame, top: int = 12) -> pd.DataFrame:
    """The most frequent changes first label → final label, with an example each."""
    changed = passes[passes["first_label"] != passes["label"]]
    counts = (changed.groupby(["first_label", "label"]).size().sort_values(ascending=False)
              .head(top).reset_index(name="paragraphs"))
    counts["decided by (most often)"] = [
        changed[(changed["first_label"] == a) & (changed["label"] == b)]["rule"]
        .replace("", "agreed").mode().iloc[0] for a, b in zip(counts["first_label"], counts["label"])]
    return counts.rename(columns={"first_label": "first pass", "label": "final"})


# --- recorded decisions applied to every document ------------------------------------------

#: A heading that names a part of a report rather than its subject: 其他 in every document,
#: single-topic ones included (GUIDELINES.md, rule 9 decisions; codebook rule 7's example
#: 「一、主要举措和成效」 → 其他). Matched on the whole, normalised line.
PART_HEADING = re.compile(r"(第[一二三四五六七八九十]+章|[(]?[一二三四五六七八九十\d]+[)、.])\s*"
                          r"(总体情况|基本情况|总则|附则|主要做法|主要工作|主要工作措施|工作开展情况"
                          r"|主要工作开展情况|办理成效|主要成效|工作成效|主要(?:做法|工作)[和及]成效"
                          r"|工作措施|主要措施)")
PART_HEADING_REASON = ("a heading naming a part of the report, not its subject, is 其他 "
                       "(rule 7 example; revised decision)")


def apply_part_headings(files, passes_path: str | Path) -> pd.DataFrame:
    """Set every part heading (PART_HEADING) of the ``LABEL[;ALSO]<TAB>TEXT`` files to 其他
    with no ``also``, in the files and in the passes table (``decided`` = ``project
    decision``). Returns the rows changed (doc, para, text, old); none the second time."""
    from lawgov_cls.corpus import parse_authored
    from lawgov_cls.output import atomic_path

    passes = pd.read_csv(passes_path, dtype=str, keep_default_na=False, encoding="utf-8")
    changed = []
    for path in map(Path, files):
        rows = parse_authored(path, source=path.parent.name)  # para i is the i-th non-empty line
        hits = rows[rows["text"].str.strip().str.fullmatch(PART_HEADING)
                    & ((rows["label"] != OTHER) | (rows["also"] != ""))]
        if hits.empty:
            continue
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for r in hits.itertuples():
            _, _, text = lines[r.para].partition("\t")
            lines[r.para] = f"{OTHER}\t{text}"
            row = (passes["doc"] == r.doc) & (passes["para"] == str(r.para))
            passes.loc[row, ["label", "also", "decided", "rule", "reason"]] = [
                OTHER, "", "project decision", "rule 7", PART_HEADING_REASON]
            changed.append({"doc": r.doc, "para": r.para, "text": r.text,
                            "old": ";".join(filter(None, (r.label, r.also)))})
        with atomic_path(path) as tmp:
            tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if changed:
        with atomic_path(passes_path) as tmp:
            passes.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
    return pd.DataFrame(changed, columns=["doc", "para", "text", "old"])
