"""Choose the coverage threshold: agreement of covered/missing calls with the labels.

    python train/coverage_threshold.py

Held-out predictions (leave-one-report-out on the seed reports, grouped cross-validation on
the authored documents; the dev set is not read) are turned into covered/missing calls per
report and task under each rule, and compared with the labels (a task is addressed when a
labeller gave it at least one paragraph). Prints one table per split.
"""

from lawgov_cls.card import markdown_table
from lawgov_cls.corpus import load_corpus
from lawgov_cls.coverage_eval import task_table, threshold_agreement
from lawgov_cls.evaluate import grouped_cv_predictions, loro_predictions

RULES = [(n, s) for n in (1, 2, 3) for s in (0.0, 0.01, 0.02, 0.03, 0.05)]

if __name__ == "__main__":
    corpus = load_corpus()
    for name, predict in (("seed reports, leave-one-report-out", loro_predictions),
                          ("authored documents, grouped cross-validation", grouped_cv_predictions)):
        tasks = task_table(corpus, predict(corpus))
        print(f"{name}: {tasks['doc'].nunique()} documents, {len(tasks)} (document, task) calls; "
              f"labels give {int((tasks['gold_n'] > 0).sum())} tasks, of which "
              f"{int((tasks['gold_n'] == 1).sum())} with one paragraph\n")
        print(markdown_table(threshold_agreement(tasks, RULES)) + "\n")
