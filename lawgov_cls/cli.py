"""Command line: ``lawgov-cls tag|coverage|train|evaluate``.

Each command parses its options, calls one library function and prints the result. Heavy
imports happen inside the commands, so ``--help`` answers at once.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from pathlib import Path

import click

from lawgov_cls.labels import DESCRIPTIONS, LABELS

EXAMPLES = {
    "tag": "lawgov-cls tag seeds --out out\n    lawgov-cls tag inbox/ a.docx --out out --format xlsx --jobs 2 --force",
    "coverage": "lawgov-cls coverage inbox/ --out cov",
    "train": "lawgov-cls train\n    lawgov-cls train --data data/paragraphs.csv --models models",
    "evaluate": "lawgov-cls evaluate\n    lawgov-cls evaluate --variants --out reports/",
}


#: Exit codes: every file tagged, some inputs failed, usage or output error, Ctrl-C.
EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
#: Seconds per file by default (tag.DEFAULT_TIMEOUT; repeated so that --help stays light).
DEFAULT_TIMEOUT = 120.0


class UserError(click.ClickException):
    """A mistake of the user's (bad model file, existing or unwritable output): one line, exit 2."""

    exit_code = EXIT_USAGE


@contextlib.contextmanager
def _terminate_cleanly():
    """SIGTERM exits (128 + 15) through the normal unwinding, so that temp files go."""

    def handler(signum, frame):
        raise SystemExit(128 + signum)

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _help(command: str, text: str) -> str:
    # \b keeps click from re-wrapping the example block.
    return f"{text}\n\nExample:\n\n\b\n    {EXAMPLES[command]}"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lawgov_cls")
def cli() -> None:
    pass


cli.help = ("Tag paragraphs of 法治政府建设 reports with the 纲要 task they serve.\n\n"
            "Run `lawgov-cls COMMAND --help` for a command's options and an example.\n\n"
            "\b\nLabels:" + "".join(f"\n  {l}: {DESCRIPTIONS[l]}" for l in LABELS))

_input_arg = click.argument("inputs", nargs=-1, required=True, metavar="INPUT...",
                            type=click.Path(exists=True, path_type=Path))


def _batch_options(func):
    options = [
        click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path),
                     help="Output directory (created if missing)."),
        click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "xlsx"]),
                     default="csv", show_default=True, help="Output table format."),
        click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
                     help="Worker processes."),
        click.option("--force", is_flag=True, help="Write into an existing non-empty --out."),
        click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary."),
        click.option("--max-mb", type=click.FloatRange(min=0.001), default=20.0,
                     show_default=True,
                     help="Refuse files larger than this (MB); also bounds what a file may "
                          "inflate to (.docx: 5x) and the characters of its text."),
        click.option("--timeout", type=click.FloatRange(min=0), default=DEFAULT_TIMEOUT,
                     show_default=True,
                     help="Seconds one file may take; a slower file is reported and the "
                          "batch goes on (0: no limit, and --jobs 1 then tags in-process)."),
        click.option("--review-below", type=click.FloatRange(0, 1), default=None,
                     help="Mark paragraphs with confidence below this for review "
                          "[default: 0.5]."),
        click.option("--model", "model_path", type=click.Path(path_type=Path), default=None,
                     help="Model file instead of the bundled one (needs --trust-model)."),
        click.option("--trust-model", is_flag=True,
                     help="Allow loading --model: a joblib file runs code when loaded."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _load(model_path, trust_model):
    from lawgov_cls.model import ModelError, load_model

    try:
        return load_model(model_path, trusted=trust_model)
    except ModelError as exc:
        raise UserError(str(exc)) from None


def _check_out_dir(out_dir: Path, force: bool) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise UserError(f"--out {out_dir} is a file, not a directory")
    try:
        non_empty = out_dir.is_dir() and any(out_dir.iterdir())
    except OSError as exc:
        raise UserError(f"--out {out_dir} cannot be read ({exc.strerror})") from None
    if non_empty and not force:
        raise UserError(f"--out {out_dir} exists and is not empty; use --force to write into it")


def _run_batch(inputs, out_dir, fmt, jobs, force, quiet, max_mb, timeout, review_below,
               model_path, trust_model, write_paragraphs: bool) -> None:
    from lawgov_cls.output import OutputError
    from lawgov_cls.tag import REVIEW_THRESHOLD, tag_batch

    _check_out_dir(out_dir, force)
    try:
        with _terminate_cleanly():
            model = _load(model_path, trust_model)
            result = tag_batch(model, inputs, out_dir, fmt=fmt, jobs=jobs,
                               max_bytes=int(max_mb * 2**20),
                               review_threshold=(REVIEW_THRESHOLD if review_below is None
                                                 else review_below),
                               progress=not quiet and sys.stderr.isatty(),
                               write_paragraphs=write_paragraphs, timeout=timeout or None)
    except OutputError as exc:
        raise UserError(str(exc)) from None
    except KeyboardInterrupt:
        click.echo("\ninterrupted: no output written", err=True)
        sys.exit(EXIT_INTERRUPTED)
    for path, reason in result.errors:
        click.echo(f"error: {path}: {reason}", err=True)
    if not quiet:
        from lawgov_cls.evaluate import markdown_table

        click.echo(markdown_table(result.coverage.by_label))
        click.echo(f"tagged {result.tagged} of {result.files} files, {result.paragraphs} "
                   f"paragraphs; {len(result.errors)} failed")
        for name, path in result.outputs.items():
            click.echo(f"  {name}: {path}")
    sys.exit(result.exit_code)


@cli.command(help=_help("tag", "Tag every paragraph of the reports in INPUT (files or folders).\n\n"
                        "Writes paragraphs.FMT (one row per paragraph), coverage.FMT, "
                        "coverage_by_label.FMT and errors.csv into --out. Exit code 0 when "
                        "every file was tagged, 1 when some failed (listed in errors.csv), "
                        "2 for usage or output errors, 130 on Ctrl-C."))
@_input_arg
@_batch_options
def tag(inputs, out_dir, fmt, jobs, force, quiet, max_mb, timeout, review_below, model_path,
        trust_model):
    _run_batch(inputs, out_dir, fmt, jobs, force, quiet, max_mb, timeout, review_below,
               model_path, trust_model, write_paragraphs=True)


@cli.command(help=_help("coverage", "Coverage of the six 纲要 tasks per report and per batch.\n\n"
                        "Writes coverage.FMT (one row per report plus a batch row), "
                        "coverage_by_label.FMT and errors.csv into --out."))
@_input_arg
@_batch_options
def coverage(inputs, out_dir, fmt, jobs, force, quiet, max_mb, timeout, review_below,
             model_path, trust_model):
    _run_batch(inputs, out_dir, fmt, jobs, force, quiet, max_mb, timeout, review_below,
               model_path, trust_model, write_paragraphs=False)


def _corpus_path(data: Path | None) -> Path:
    from lawgov_cls.corpus import DEFAULT_CORPUS

    path = data or DEFAULT_CORPUS
    if not path.exists():
        raise UserError(f"{path}: labelled data not found (run from a source checkout or pass --data)")
    return path


@cli.command(help=_help("train", "Train the model on the labelled paragraphs and write it, "
                        "metrics.json and MODEL_CARD.md into --models."))
@click.option("--data", type=click.Path(path_type=Path), default=None,
              help="Labelled corpus CSV [default: data/paragraphs.csv].")
@click.option("--models", "models_dir", type=click.Path(path_type=Path), default=None,
              help="Output directory [default: models/ of the source checkout].")
def train(data, models_dir):
    from lawgov_cls.corpus import REPO_ROOT, CorpusError
    from lawgov_cls.evaluate import format_report, train_and_save

    try:
        model, evaluation = train_and_save(_corpus_path(data), models_dir or REPO_ROOT / "models")
    except CorpusError as exc:
        raise UserError(str(exc)) from None
    click.echo(format_report(evaluation))
    click.echo(f"\nsaved {model!r} to {models_dir or REPO_ROOT / 'models'}")


@cli.command(help=_help("evaluate", "Leave-one-report-out evaluation of the model and the "
                        "baselines on the seed reports."))
@click.option("--data", type=click.Path(path_type=Path), default=None,
              help="Labelled corpus CSV [default: data/paragraphs.csv].")
@click.option("--variants", is_flag=True,
              help="Also compare feature and classifier variants (slower).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Also write evaluation.md, metrics.json (and variants.csv) here.")
def evaluate(data, variants, out_dir):
    from lawgov_cls.corpus import CorpusError, load_corpus
    from lawgov_cls.evaluate import (compare_variants, evaluate_corpus, format_report,
                                     markdown_table, write_metrics)
    from lawgov_cls.model import train_model

    try:
        corpus = load_corpus(_corpus_path(data))
    except CorpusError as exc:
        raise UserError(str(exc)) from None
    evaluation = evaluate_corpus(corpus, model=train_model(corpus))
    report = format_report(evaluation)
    if variants:
        table = compare_variants(corpus)
        report += "\n\nVariants (leave-one-report-out, same folds):\n\n" + markdown_table(table)
    click.echo(report)
    if out_dir:
        from lawgov_cls.output import atomic_path

        out_dir.mkdir(parents=True, exist_ok=True)
        with atomic_path(out_dir / "evaluation.md") as tmp:
            tmp.write_text(report + "\n", encoding="utf-8")
        write_metrics(evaluation, out_dir / "metrics.json")
        if variants:
            table.to_csv(out_dir / "variants.csv", index=False)


def main() -> None:
    cli(prog_name="lawgov-cls")


if __name__ == "__main__":
    main()
