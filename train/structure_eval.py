"""Share of documents on which the structure check agrees with data/structure.csv.

    python train/structure_eval.py              # development splits (seed, authored)
    python train/structure_eval.py --dev        # also the held-out dev split
    python train/structure_eval.py --errors     # and list every disagreement

Fields: genre, title, year and published over all documents; late and each required part
over the labelled annual reports only. A title counts as right when the labelled title is
the found title line or inside it (see lawgov_cls.structure_eval._same_title).
"""

import argparse

from lawgov_cls.card import markdown_table
from lawgov_cls.structure_eval import (compare, load_structure_labels, predict_structure,
                                       structure_accuracy)

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", action="store_true", help="also score the held-out dev split")
    parser.add_argument("--errors", action="store_true", help="list the disagreements")
    args = parser.parse_args()
    splits = ("seed", "authored", "dev") if args.dev else ("seed", "authored")
    labels = load_structure_labels()
    print(markdown_table(structure_accuracy(labels, splits=splits)))
    if args.errors:
        chosen = labels[labels["split"].isin(splits)].reset_index(drop=True)
        checks = compare(chosen, predict_structure(chosen))
        print("\n" + markdown_table(checks[~checks["right"]].drop(columns="right")))
