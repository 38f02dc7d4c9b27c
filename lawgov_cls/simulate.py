"""What the correct-and-retrain loop gains: a simulation on the seed reports' folds.

Each seed report is held out in turn and scored; labels of the paragraphs an analyst
would correct are taken from the corpus. Two pools to correct from:

- ``siblings``: the other seed reports, labels hidden. A model trained on the authored
  rows alone tags them as ``lawgov-cls review`` does (``tag.tag_file``); N of their
  paragraphs are picked by the review rule (``review.select_for_review``) or at random
  among the same candidates, added with their true labels as ``add-labels`` would add the
  analyst's corrections, and the model is retrained on the authored rows plus those N.
  The held-out report itself is never corrected. Reference: every sibling paragraph
  labelled (leave-one-report-out as ``lawgov-cls evaluate`` runs it).
- ``same report``: the held-out report itself, tagged by the model trained on the authored
  rows and the other seed reports (as the bundled model tags a new report); N of its
  paragraphs are corrected, the model retrained and the whole report tagged again. This
  is what an analyst sees who corrects and re-tags their own batch: the corrected
  paragraphs are among those scored.

Predictions are pooled over the folds and scored together, as leave-one-report-out is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from lawgov_cls.evaluate import predict_rows, score
from lawgov_cls.labels import LABELS
from lawgov_cls.model import LawgovModel, ModelConfig, fit_pipeline
from lawgov_cls.review import random_selection, select_for_review

POOLS = ("siblings", "same report")
SIZES = {"siblings": (20, 50, 100), "same report": (5, 10, 20)}
RANDOM_SEEDS = (0, 1, 2)


def _fit_predict(train: pd.DataFrame, test: pd.DataFrame, config: ModelConfig) -> pd.DataFrame:
    return predict_rows(fit_pipeline(train, config), test)


def tag_reports(pipeline, corpus: pd.DataFrame, seed_dir: str | Path, docs) -> pd.DataFrame:
    """Seed reports tagged by ``pipeline`` as the tagger does, with their true labels."""
    from lawgov_cls.tag import tag_file

    model = LawgovModel(pipeline, {"labels": list(LABELS)})
    seeds = corpus[corpus["source"] == "seed"]
    parts = [tag_file(model, Path(seed_dir) / doc, doc=doc) for doc in docs]
    tagged = pd.concat(parts, ignore_index=True).merge(
        seeds[["doc", "para", "text", "label"]].rename(columns={"text": "true_text",
                                                                "label": "true_label"}),
        on=["doc", "para"], how="left", validate="one_to_one")
    if (tagged["text"] != tagged["true_text"]).any():
        raise ValueError("the seed files no longer split as data/paragraphs.csv; rebuild it")
    return tagged


def simulate_review(corpus: pd.DataFrame, seed_dir: str | Path, pool: str = "siblings",
                    sizes=None, random_seeds=RANDOM_SEEDS, config: ModelConfig = ModelConfig(),
                    jobs: int = 1, progress: Callable[[str], None] = lambda m: None
                    ) -> pd.DataFrame:
    """One row per (selection, N): macro-F1 over the six tasks and accuracy on the held-out
    seed reports, the gain over no correction, the share of picked paragraphs the first
    model had wrong and their number over all folds (the corrections an analyst actually
    makes). Random selection is the mean ± standard deviation over ``random_seeds``.
    ``corrected`` is per held-out report."""
    from joblib import Parallel, delayed

    if pool not in POOLS:
        raise ValueError(f"pool must be one of {POOLS}")
    sizes = SIZES[pool] if sizes is None else sizes
    authored = corpus[corpus["source"] == "authored"]
    seeds = corpus[corpus["source"] == "seed"]
    docs = sorted(seeds["doc"].unique())
    siblings = {h: pd.concat([authored, seeds[seeds["doc"] != h]]) for h in docs}
    if pool == "siblings":
        progress(f"training the first model on {len(authored)} authored rows")
        base = fit_pipeline(authored, config)
        tagged = tag_reports(base, corpus, seed_dir, docs)
        first = {h: (base, authored, tagged[tagged["doc"] != h]) for h in docs}
    else:
        progress(f"training {len(docs)} first models (authored rows and the other seed reports)")
        fits = Parallel(n_jobs=jobs)(delayed(fit_pipeline)(siblings[h], config) for h in docs)
        first = {h: (fit, siblings[h], tag_reports(fit, corpus, seed_dir, [h]))
                 for h, fit in zip(docs, fits)}

    runs = []  # (strategy, n, seed, held-out doc, picked rows or None for the whole pool)
    for h in docs:
        candidates = first[h][2]
        if pool == "siblings":
            runs.append(("every pool paragraph", None, 0, h, None))
        for n in sizes:
            runs.append(("review rule", n, 0, h, select_for_review(candidates, n)))
            for seed in random_seeds:
                runs.append(("random", n, seed, h, random_selection(candidates, n, seed)))
    work = []
    for _, _, _, h, picked in runs:
        if picked is None:
            train = siblings[h]
        else:
            keys = pd.MultiIndex.from_frame(picked[["doc", "para"]])
            chosen = seeds[pd.MultiIndex.from_frame(seeds[["doc", "para"]]).isin(keys)]
            train = pd.concat([first[h][1], chosen.assign(source="reviewed")])
        work.append(delayed(_fit_predict)(train, seeds[seeds["doc"] == h], config))
    progress(f"{len(work)} retrainings on {jobs} process(es)")
    predictions = Parallel(n_jobs=jobs)(work)

    baseline_pred = pd.concat([predict_rows(first[h][0], seeds[seeds["doc"] == h]) for h in docs])
    baseline = score(baseline_pred["label"], baseline_pred["pred"])
    rows = [_row("none (first model)", 0, [baseline], baseline, [])]
    strategies = [(s, n) for n in sizes for s in ("review rule", "random")]
    if pool == "siblings":
        strategies.append(("every pool paragraph", None))
    for strategy, n in strategies:
        done = [(run, pred) for run, pred in zip(runs, predictions) if run[:2] == (strategy, n)]
        scores, wrong = [], []
        for seed in sorted({run[2] for run, _ in done}):
            pooled = pd.concat([pred for run, pred in done if run[2] == seed])
            scores.append(score(pooled["label"], pooled["pred"]))
            picked = [run[4] for run, _ in done if run[2] == seed and run[4] is not None]
            if picked:
                both = pd.concat(picked)
                wrong.append((both["label"] != both["true_label"]).to_numpy())
        name = f"random, mean ± sd of {len(scores)} seeds" if strategy == "random" else strategy
        corrected = n if n is not None else round(len(seeds) * (len(docs) - 1) / len(docs))
        rows.append(_row(name, corrected, scores, baseline, wrong))
    return pd.DataFrame(rows)


def _mean_sd(values: list[float], signed: bool = False) -> str:
    fmt = "{:+.3f}" if signed else "{:.3f}"
    if len(values) == 1:
        return fmt.format(values[0])
    return fmt.format(np.mean(values)) + f" ± {np.std(values, ddof=1):.3f}"


def _row(selection: str, corrected: int, scores: list[dict], baseline: dict,
         wrong: list[np.ndarray]) -> dict:
    f1 = [s["macro_f1_tasks"] for s in scores]
    acc = [s["accuracy"] for s in scores]
    return {
        "selection": selection,
        "corrected": corrected,
        "macro_f1_tasks": _mean_sd(f1),
        "accuracy": _mean_sd(acc),
        "gain_macro_f1_tasks": "" if not corrected else _mean_sd(
            [v - baseline["macro_f1_tasks"] for v in f1], signed=True),
        "gain_accuracy": "" if not corrected else _mean_sd(
            [v - baseline["accuracy"] for v in acc], signed=True),
        "first_model_wrong": "" if not wrong else f"{np.mean([w.mean() for w in wrong]):.0%}",
        "errors_found": "" if not wrong else f"{np.mean([w.sum() for w in wrong]):.0f}",
    }
