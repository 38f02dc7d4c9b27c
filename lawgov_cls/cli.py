"""Command line: ``lawgov-cls tag|coverage|train|evaluate|review|add-labels``.

Each command parses its options, calls one library function and prints the result. Heavy
imports happen inside the commands, so ``--help`` answers at once.
"""

from __future__ import annotations

import contextlib
import gc
import signal
import sys
import threading
from pathlib import Path

import click

from lawgov_cls.labels import DESCRIPTIONS, LABELS

EXAMPLES = {
    "tag": ("lawgov-cls tag seeds --out out\n    lawgov-cls tag inbox/ a.docx --out out --format xlsx "
            "--jobs 2 --force\n    cat report.txt | lawgov-cls tag - --out - --format jsonl | jq .label"),
    "coverage": ("lawgov-cls coverage inbox/ --out cov\n    lawgov-cls coverage inbox/ --out cov "
                 "--deadline 03-01 --min-share 0.05 --min-paragraphs 2"),
    "train": "lawgov-cls train\n    lawgov-cls train --data mydata/paragraphs.csv --models mymodels",
    "evaluate": "lawgov-cls evaluate\n    lawgov-cls evaluate --variants --out reports/",
    "review": "lawgov-cls review inbox/ --out review.xlsx --n 50",
    "add-labels": "lawgov-cls add-labels review.xlsx\n    lawgov-cls add-labels review.xlsx --data mydata/paragraphs.csv",
}


#: Exit codes: every file tagged, some inputs failed, usage or output error, Ctrl-C, and the
#: reader of --out - gone (as a process killed by SIGPIPE).
EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_INTERRUPTED, EXIT_BROKEN_PIPE = 0, 1, 2, 130, 141
#: Defaults repeated from tag.py and coverage.py so that --help stays light (a test checks).
DEFAULT_TIMEOUT = 120.0
DEFAULT_MIN_SHARE, DEFAULT_MIN_PARAGRAPHS = 0.02, 1


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
                            type=click.Path(exists=True, allow_dash=True, path_type=Path))
#: Reports named in the terminal summary of the ones that miss a task.
SUMMARY_REPORTS = 20


def _deadline(ctx, param, value):
    from lawgov_cls.structure import parse_deadline

    try:
        return parse_deadline(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _batch_options(func):
    options = [
        click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path),
                     help="Output directory (created if missing); - writes only the table "
                          "to standard output (csv or jsonl)."),
        click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "xlsx"]),
                     default="csv", show_default=True,
                     help="Table format; xlsx writes one workbook, results.xlsx."),
        click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
                     help="Worker processes."),
        click.option("--force", is_flag=True,
                     help="Write into an existing non-empty --out, replacing the outputs of "
                          "an earlier run (other files are left alone)."),
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
        click.option("--min-share", type=click.FloatRange(0, 1), default=DEFAULT_MIN_SHARE,
                     show_default=True,
                     help="A task counts as covered with at least this share of a report's "
                          "characters (0.02 = 2%) ..."),
        click.option("--min-paragraphs", type=click.IntRange(min=1),
                     default=DEFAULT_MIN_PARAGRAPHS, show_default=True,
                     help="... and at least this many paragraphs."),
        click.option("--model", "model_path", type=click.Path(path_type=Path), default=None,
                     help="Model file (.skops) instead of the bundled one."),
        click.option("--trust-model", is_flag=True,
                     help="Allow a joblib/pickle --model, which runs code when loaded."),
        click.option("--deadline", default="04-01", show_default=True, metavar="MM-DD",
                     callback=_deadline,
                     help="Annual reports published after this day of the following year "
                          "are marked late."),
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
        raise UserError(f"--out {out_dir} exists and is not empty; use --force to replace "
                        "the outputs of the earlier run")


def _summary(result, err: bool) -> None:
    """The terminal summary: per-task table, structure, the reports that miss tasks, files."""
    from lawgov_cls.card import markdown_table

    echo = lambda text="": click.echo(text, err=err)  # noqa: E731
    echo(markdown_table(result.coverage.by_label))
    echo("\n".join(result.structure.lines()))
    missing = result.coverage.missing_by_report()
    echo(f"reports missing a task: {len(missing)} of {result.tagged}")
    for doc, tasks in missing[:SUMMARY_REPORTS]:
        echo(f"  {doc}: {' '.join(tasks)}")
    if len(missing) > SUMMARY_REPORTS:
        echo(f"  … {len(missing) - SUMMARY_REPORTS} more: see the coverage table")
    echo(f"tagged {result.tagged} of {result.files} files, {result.paragraphs} paragraphs; "
         f"{len(result.errors)} failed")
    for name, path in result.outputs.items():
        echo(f"  {name}: {path}")


def _stdout_text():
    import io

    # UTF-8 whatever the locale; the binary stream stays open for click when we are done.
    return io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="",
                            write_through=True)


def _collect_after_loading() -> None:
    """Garbage collection back on, minus all that the imports and the model created.

    Loading makes about a million long-lived objects and no garbage, so the collector's passes
    over them while loading (it is switched off in _run_batch) and at exit were wasted work,
    a tenth of a run on one report. Frozen objects are skipped by later collections, in this
    process and in forked workers (the gc.freeze recipe of the Python documentation).
    """
    gc.freeze()
    gc.enable()


def _run_batch(*args, **kwargs) -> None:
    gc.disable()  # until the model is loaded: see _collect_after_loading
    try:
        _tag_batch(*args, **kwargs)
    finally:
        gc.enable()


def _tag_batch(inputs, out_dir, force, quiet, model_path, trust_model, review_below, max_mb,
               timeout, **options) -> None:
    from lawgov_cls.batch import TagOptions, tag_batch
    from lawgov_cls.output import OutputError
    from lawgov_cls.tag import REVIEW_THRESHOLD

    to_stdout = str(out_dir) == "-"
    if to_stdout and options["fmt"] == "xlsx":
        raise UserError("--out - writes csv or jsonl to standard output, not a workbook; "
                        "use --format csv or jsonl, or an --out folder")
    if sum(str(i) == "-" for i in inputs) > 1:
        raise UserError("- (standard input) may be given once")
    if not to_stdout:
        _check_out_dir(out_dir, force)
    settings = TagOptions(max_bytes=int(max_mb * 2**20), timeout=timeout or None,
                          review_threshold=(REVIEW_THRESHOLD if review_below is None
                                            else review_below),
                          progress=not quiet and sys.stderr.isatty(), **options)
    stream = _stdout_text() if to_stdout else None
    try:
        with _terminate_cleanly():
            model = _load(model_path, trust_model)
            _collect_after_loading()
            result = tag_batch(model, inputs, stream or out_dir, settings,
                               stdin=sys.stdin.buffer if "-" in map(str, inputs) else None)
    except OutputError as exc:
        raise UserError(str(exc)) from None
    except KeyboardInterrupt:
        # Folder outputs are all or nothing; rows already sent to a pipe cannot be taken back.
        click.echo("\ninterrupted" + ("" if to_stdout else ": no output written"), err=True)
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        # The reader of --out - stopped (| head): nothing more to say, as a shell would do.
        _silence_stdout()
        sys.exit(EXIT_BROKEN_PIPE)
    finally:
        if stream is not None:
            with contextlib.suppress(BrokenPipeError, ValueError):
                stream.detach()
    for path, reason in result.errors:
        click.echo(f"error: {path}: {reason}", err=True)
    if not quiet:
        _summary(result, err=to_stdout)
    sys.exit(result.exit_code)


def _silence_stdout() -> None:
    import os

    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


_TAG_HELP = ("Tag every paragraph of the reports in INPUT (files or folders; - reads one "
             "report from standard input).\n\n"
             "Writes into --out: paragraphs.FMT (one row per paragraph), coverage.FMT (one row "
             "per report), coverage_by_label.FMT, coverage_batch.FMT and errors.csv, or with "
             "--format xlsx one workbook, results.xlsx, with a sheet per table; and report.html "
             "(a heatmap of reports x tasks and every report with its paragraphs coloured by "
             "label). --out - writes only the paragraph table to standard output. Exit code 0 "
             "when every file was tagged, 1 when some failed (listed in errors), 2 for usage or "
             "output errors, 130 on Ctrl-C.")


@cli.command(help=_help("tag", _TAG_HELP))
@_input_arg
@_batch_options
def tag(inputs, out_dir, fmt, jobs, force, quiet, max_mb, timeout, review_below, min_share,
        min_paragraphs, model_path, trust_model, deadline):
    _run_batch(inputs, out_dir, force, quiet, model_path, trust_model, review_below, max_mb,
               timeout, fmt=fmt, jobs=jobs, deadline=deadline, min_share=min_share,
               min_paragraphs=min_paragraphs, write_paragraphs=True)


@cli.command(help=_help("coverage", "Coverage of the six 纲要 tasks per report and per batch.\n\n"
                        "Writes coverage.FMT (one row per report), coverage_by_label.FMT, "
                        "coverage_batch.FMT (the batch totals), errors.csv and report.html into "
                        "--out (--format xlsx: results.xlsx); --out - writes only the coverage "
                        "table to standard output."))
@_input_arg
@_batch_options
def coverage(inputs, out_dir, fmt, jobs, force, quiet, max_mb, timeout, review_below,
             min_share, min_paragraphs, model_path, trust_model, deadline):
    _run_batch(inputs, out_dir, force, quiet, model_path, trust_model, review_below, max_mb,
               timeout, fmt=fmt, jobs=jobs, deadline=deadline, min_share=min_share,
               min_paragraphs=min_paragraphs, write_paragraphs=False)


def _paths(data: Path | None, models_dir: Path | None, need_models: bool):
    from lawgov_cls.corpus import CorpusError, resolve_paths

    try:
        return resolve_paths(data, models_dir, need_models=need_models)
    except CorpusError as exc:
        raise UserError(str(exc)) from None


def _progress(message: str) -> None:
    click.echo(message, err=True)


_data_option = click.option(
    "--data", type=click.Path(path_type=Path), default=None,
    help="Labelled corpus CSV; dev.csv and structure.csv are read beside it "
         "[default: data/paragraphs.csv of the checkout in the current directory].")


@cli.command(help=_help("train", "Train the model on the labelled paragraphs, evaluate it, and "
                        "write the model, metrics.json and MODEL_CARD.md into --models."))
@_data_option
@click.option("--models", "models_dir", type=click.Path(path_type=Path), default=None,
              help="Output directory [default: models/ of the checkout in the current directory].")
@click.option("--quiet", "-q", is_flag=True, help="No progress messages.")
def train(data, models_dir, quiet):
    from lawgov_cls.card import format_report
    from lawgov_cls.corpus import CorpusError
    from lawgov_cls.evaluate import train_and_save

    paths = _paths(data, models_dir, need_models=True)
    try:
        model, evaluation = train_and_save(paths.corpus, paths.models, dev_path=paths.dev,
                                           structure_path=paths.structure,
                                           progress=(lambda m: None) if quiet else _progress)
    except CorpusError as exc:
        raise UserError(str(exc)) from None
    click.echo(format_report(evaluation))
    click.echo(f"\nsaved {model!r} to {paths.models}")


@cli.command(help=_help("evaluate", "Evaluate the model by document: leave-one-report-out on "
                        "the real reports, grouped cross-validation on authored documents, "
                        "and the held-out dev set, beside the baselines."))
@_data_option
@click.option("--variants", is_flag=True,
              help="Also compare feature and classifier variants (slower).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Also write evaluation.md, metrics.json (and variants.csv) here.")
@click.option("--quiet", "-q", is_flag=True, help="No progress messages.")
def evaluate(data, variants, out_dir, quiet):
    from lawgov_cls.corpus import CorpusError
    from lawgov_cls.evaluate import evaluate_paths

    paths = _paths(data, None, need_models=False)
    try:
        result = evaluate_paths(paths, variants=variants, out_dir=out_dir,
                                progress=(lambda m: None) if quiet else _progress)
    except CorpusError as exc:
        raise UserError(str(exc)) from None
    click.echo(result.report)


@cli.command(help=_help("review", "Pick the N paragraphs of the reports in INPUT most worth a "
                        "human look and write them to an Excel workbook to correct.\n\n"
                        "Picks the paragraphs whose two most probable labels are closest, "
                        "reports taking turns, page furniture and very short lines excluded. "
                        "Fill the label_corrected column (a drop-down of the labels), then run "
                        "`lawgov-cls add-labels` on the workbook. Exit code 0, 1 when some "
                        "files could not be read, 2 for usage errors."))
@_input_arg
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Review workbook to write (.xlsx).")
@click.option("--n", "n", type=click.IntRange(min=1), default=50, show_default=True,
              help="Paragraphs to pick.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes.")
@click.option("--force", is_flag=True, help="Overwrite an existing --out workbook.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary.")
@click.option("--model", "model_path", type=click.Path(path_type=Path), default=None,
              help="Model file (.skops) instead of the bundled one.")
@click.option("--trust-model", is_flag=True,
              help="Allow a joblib/pickle --model, which runs code when loaded.")
def review(inputs, out_path, n, jobs, force, quiet, model_path, trust_model):
    from lawgov_cls.review import review_reports

    if out_path.suffix.lower() != ".xlsx":
        raise UserError(f"--out {out_path}: the review workbook must be an .xlsx file")
    if out_path.exists() and not force:
        raise UserError(f"--out {out_path} exists (a filled workbook would be lost); "
                        "use --force to overwrite it")
    model = _load(model_path, trust_model)
    result = review_reports(model, inputs, out_path, n=n, jobs=jobs,
                            progress=not quiet and sys.stderr.isatty())
    for path, reason in result.errors:
        click.echo(f"error: {path}: {reason}", err=True)
    if result.path is None:
        click.echo(f"no paragraph to review in {result.tagged} tagged of {result.files} files; "
                   "nothing written", err=True)
    elif not quiet:
        reports = result.picked["doc"].nunique()
        click.echo(f"picked {len(result.picked)} of {result.candidates} paragraphs from "
                   f"{reports} of {result.tagged} reports; {len(result.errors)} files failed")
        click.echo(f"  review workbook: {result.path}")
        click.echo("fill label_corrected, then: lawgov-cls add-labels " + str(result.path))
    sys.exit(result.exit_code)


@cli.command("add-labels", help=_help(
    "add-labels", "Add the corrected rows of a review workbook to the labelled corpus.\n\n"
    "Every filled label_corrected (and also) is checked against the label set; with any bad "
    "row nothing is written, each bad row is listed and the exit code is 2. Rows go in with "
    "source=reviewed and doc=reviewed/<doc>; a row replaces an earlier reviewed one of the "
    "same doc and para. Retrain with `lawgov-cls train` afterwards."))
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--data", type=click.Path(path_type=Path), default=None,
              help="Labelled corpus CSV to add to "
                   "[default: data/paragraphs.csv of the checkout in the current directory].")
def add_labels(workbook, data):
    from lawgov_cls.corpus import CorpusError
    from lawgov_cls.review import ReviewError
    from lawgov_cls.review import add_labels as add_reviewed

    paths = _paths(data, None, need_models=False)
    try:
        result = add_reviewed(workbook, paths.corpus)
    except ReviewError as exc:
        for problem in exc.problems:
            click.echo(f"{workbook}: {problem}", err=True)
        rows = sum(p.startswith("row ") for p in exc.problems)
        click.echo(f"refused{f' ({rows} bad rows)' if rows else ''}: nothing was added to "
                   f"{paths.corpus}", err=True)
        sys.exit(2)
    except CorpusError as exc:
        raise UserError(str(exc)) from None
    click.echo(f"added {result.added} reviewed rows, replaced {result.replaced}, skipped "
               f"{result.skipped} already in the corpus or dev set ({result.empty} rows left empty); "
               f"{result.total} rows in {result.corpus}")
    if result.added or result.replaced:
        click.echo("retrain with: lawgov-cls train")


def main() -> None:
    cli(prog_name="lawgov-cls")


if __name__ == "__main__":
    main()
