"""Apply the part-heading decision to every authored and dev document, then rebuild.

    python train/part_headings.py && python train/build_corpus.py

Headings that name a part of a report (一、总体情况, 二、主要做法, 主要工作措施, 办理成效, 总则,
附则 …) are 其他 in every document (data/GUIDELINES.md, rule 9 decisions). Two annotation
passes that agree on a task label for one are not caught by adjudication, so this sets them
in the files and records each change in data/label_passes.csv. Run after adding documents;
it changes nothing when the data already follows the decision (tests/test_passes.py checks).
"""

from pathlib import Path

from lawgov_cls.passes import apply_part_headings

DATA = Path(__file__).resolve().parent.parent / "data"  # this checkout's data, not the package's
FOLDERS = ("authored", "dev")  # LABEL<TAB>TEXT documents that went through the two passes

if __name__ == "__main__":
    files = sorted(p for folder in FOLDERS for p in (DATA / folder).glob("*.txt"))
    changed = apply_part_headings(files, DATA / "label_passes.csv")
    print(changed.to_string(index=False) if len(changed) else "no part heading to change")
    print(f"{len(changed)} headings set to 其他 in {len(files)} files")
