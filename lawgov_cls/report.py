"""report.html: a self-contained page to look at a batch, written beside the tables.

At the top a heatmap of reports × tasks (share of each report's characters, missing tasks
marked ✗ and red), the batch totals, the per-task view, the structure check and the files
not read; below, one section per report with its paragraphs coloured by label, the review
flag inline and the confidence and evidence terms on hover (or all at once with a switch).
Heatmap cells link to the report's first paragraph of that task. No script, font, style
sheet or image is loaded from anywhere: the page opens from a USB stick. Report text is
untrusted, so templates are rendered with Jinja2's autoescaping.

Memory stays flat: each report's section is rendered once, as it is tagged, into a temp
file, and the page is put together at the end. Past ``max_paragraphs`` paragraphs the
remaining reports get a heatmap row but no paragraphs (a browser slows down on pages of
hundreds of thousands of elements).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from lawgov_cls import __version__
from lawgov_cls.coverage import count_column, share_column
from lawgov_cls.labels import LABELS, TASK_LABELS
from lawgov_cls.output import _finish, _temp_beside, _writing

#: Paragraphs shown, over the whole page: about 19 MB of HTML, which headless Chromium draws
#: in about 7 s (train/bench_outputs.py; see README).
MAX_HTML_PARAGRAPHS = 40_000
_LABEL_INDEX = {label: k for k, label in enumerate(LABELS)}
_TASK_INDEX = {label: k for k, label in enumerate(TASK_LABELS)}
# Heatmap colour: a share of this much or more gets the darkest blue.
_FULL_SHARE = 0.4


def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    # autoescape for every template (.html.j2 included): report text is untrusted.
    return Environment(loader=PackageLoader("lawgov_cls", "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _cell_style(share: float) -> str:
    strength = min(1.0, share / _FULL_SHARE)
    ink = "#fff" if strength > 0.55 else "#222"
    return f"background:rgba(33,102,172,{0.08 + 0.92 * strength:.2f});color:{ink}"


def _pct(share: float) -> str:
    return f"{share * 100:.1f}%"


def _blank(value):
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else value


class HtmlReport:
    """Sections added one report at a time; ``close(result)`` writes the page atomically."""

    def __init__(self, path: str | os.PathLike, options, max_paragraphs: int | None = None):
        self.path = Path(path)
        self.options = options
        self.max_paragraphs = MAX_HTML_PARAGRAPHS if max_paragraphs is None else max_paragraphs
        self._env = _environment()
        self._section = self._env.get_template("report_section.html.j2")
        self.shown = 0  # paragraphs shown so far
        self.hidden = 0  # reports whose paragraphs are not shown
        self._anchors: dict[str, dict[str, str]] = {}  # doc -> task -> first paragraph id
        self._done = False
        with _writing(self.path):
            # Unnamed (deleted at once on Linux): nothing is left behind, even after a kill.
            self._sections = tempfile.TemporaryFile("w+", encoding="utf-8",
                                                    dir=self.path.parent)

    def add(self, frame: pd.DataFrame, row: dict) -> None:
        """Render one report's section (frame: its tagged paragraphs; row: its coverage row)."""
        n = len(self._anchors) + 1
        labels = frame["label"].tolist()
        paras = frame["para"].tolist()
        anchors = {}
        for label, para in zip(labels, paras):
            if label in _TASK_INDEX and label not in anchors:
                anchors[label] = f"r{n}-p{para}"
        show = not self.hidden and self.shown + len(frame) <= self.max_paragraphs
        if show:
            self.shown += len(frame)
            paragraphs = zip(paras, [_LABEL_INDEX[l] for l in labels], labels,
                             frame["text"].tolist(), frame["confidence"].tolist(),
                             frame["review"].tolist(), frame["evidence"].tolist(),
                             frame["furniture"].tolist())
        else:
            self.hidden += 1
            paragraphs, anchors = [], {}
        self._anchors[row["doc"]] = anchors
        bar = [(_TASK_INDEX[t], t, round(row[share_column(t)] * 100, 1)) for t in TASK_LABELS
               if row[share_column(t)] > 0]
        meta = [("title", row["title"]), ("issuer", row["issuer"]), ("year", _blank(row["year"])),
                ("genre", row["genre"]), ("published", row["published"]),
                ("late", {True: "yes", False: "no"}.get(_blank(row["late"]), "")),
                ("parts missing", row["parts_missing"]),
                ("paragraphs", f'{row["paragraphs"]} ({row["chars"]:,} characters)')]
        with _writing(self.path):
            self._sections.write(self._section.render(
                n=n, doc=row["doc"], meta=meta, bar=bar, paragraphs=list(paragraphs),
                missing=[m for m in row["missing"].split(";") if m]))

    def _head(self, result) -> str:
        cov = result.coverage
        reports = []
        for n, row in enumerate(cov.reports.to_dict(orient="records"), 1):
            anchors = self._anchors.get(row["doc"], {})
            missing = set(filter(None, row["missing"].split(";")))
            cells = [{"task": t, "count": row[count_column(t)], "pct": _pct(row[share_column(t)]),
                      "missing": t in missing, "anchor": anchors.get(t, f"r{n}"),
                      "style": "" if t in missing else _cell_style(row[share_column(t)])}
                     for t in TASK_LABELS]
            reports.append({"n": n, "doc": row["doc"], "title": row["title"],
                            "issuer": row["issuer"], "year": _blank(row["year"]),
                            "missing": row["missing"].replace(";", " "),
                            "parts_missing": row["parts_missing"].replace(";", " "),
                            "cells": cells})
        batch = cov.batch.to_dict(orient="records")[0] if len(cov.batch) else {
            "reports": 0, "reports_missing_a_task": 0, "paragraphs": 0}
        batch_cells = [{"pct": _pct(batch.get(share_column(t), 0.0)),
                        "style": _cell_style(batch.get(share_column(t), 0.0))} for t in TASK_LABELS]
        return self._env.get_template("report_head.html.j2").render(
            title="lawgov_cls · coverage of the 纲要 tasks", version=__version__,
            generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"), labels=LABELS,
            tasks=TASK_LABELS, reports=reports, batch=batch, batch_cells=batch_cells,
            by_label=cov.by_label.to_dict(orient="records"),
            rule={"min_paragraphs": self.options.min_paragraphs,
                  "min_share": self.options.min_share},
            structure_lines=result.structure.lines() if result.structure else [],
            errors=result.errors)

    def close(self, result=None, ok: bool = True) -> Path:
        """Write the page (head, the sections, tail) to a temp file and rename it into place."""
        if self._done:
            return self.path
        self._done = True
        tmp = None
        try:
            if ok and result is not None:
                tmp = _temp_beside(self.path)
                tail = self._env.get_template("report_tail.html.j2").render(
                    hidden=self.hidden, budget=f"{self.max_paragraphs:,}",
                    version=__version__)
                with _writing(self.path), open(tmp, "w", encoding="utf-8") as out:
                    out.write(self._head(result))
                    self._sections.seek(0)
                    shutil.copyfileobj(self._sections, out, 1 << 20)
                    out.write(tail)
        except BaseException:
            ok = False
            raise
        finally:
            self._sections.close()
            if tmp is not None:
                _finish(tmp, self.path, ok and result is not None)
        return self.path
