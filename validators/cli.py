"""Command-line interface: ``article-validators ingest | validate | report | eval | bench``.

The CLI only wires the other modules together and maps errors to exit codes (0 pass, 1 data failed the gate,
2 usage, configuration or input error).
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from validators.gate import TOOL_ERROR, GatePolicy
from validators.ingest.records import InputError
from validators.suite import SuiteError, load_suite

DEFAULT_SUITE = Path(__file__).resolve().parent.parent / "suites" / "news.yml"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="article-validators", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="read JSONL, CSV, Parquet, text or HTML into an article table")
    ingest.add_argument("inputs", nargs="+", type=Path, help="files or folders")
    ingest.add_argument("--out", required=True, type=Path, help="the article table to write (.parquet)")
    ingest.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="THEIRS=OURS",
        help="rename an input field onto a schema column (repeatable)",
    )
    ingest.add_argument(
        "--format",
        choices=["jsonl", "csv", "parquet", "txt", "html"],
        help="input format (default: from each file's extension)",
    )

    validate = commands.add_parser("validate", help="validate an article table against a suite")
    # A string: with --engine spark the table may be a URI (s3a://, hdfs://) that Path would mangle.
    validate.add_argument("table", help="a Parquet file or a folder of them (Spark: also s3a:// or hdfs://)")
    validate.add_argument("--suite", type=Path, default=DEFAULT_SUITE)
    validate.add_argument("--out", required=True, type=Path, help="folder for results, report and Data Docs")
    validate.add_argument(
        "--fail-on",
        choices=["error", "warning"],
        default="error",
        help="lowest severity that fails the gate (exit 1); default: error",
    )
    validate.add_argument(
        "--baseline",
        type=Path,
        metavar="PREVIOUS/results.json",
        help="results.json of a previous run: the gate fails only on regressions "
        "against it, and the report shows the trend",
    )
    validate.add_argument(
        "--baseline-tolerance",
        type=float,
        default=0.0,
        metavar="FRACTION",
        help="with --baseline: how far a check's failure rate may rise (default 0)",
    )
    validate.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    validate.add_argument(
        "--engine",
        choices=["local", "spark"],
        default="local",
        help="local: this machine's cores; spark: the measures and the suite run in Spark",
    )

    bench = commands.add_parser("bench", help="time the default suite end to end and per stage on N articles")
    bench.add_argument("--articles", type=int, default=20_000, help="articles to build (default: 20000)")
    bench.add_argument(
        "--corpora",
        type=Path,
        default=None,
        help="corpora folder to draw texts from (default: ../shared/corpora when present)",
    )
    bench.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    bench.add_argument("--work", type=Path, default=None, help="folder for the built table and the run")

    report = commands.add_parser("report", help="re-render report.html from a run's folder")
    report.add_argument("run_dir", type=Path)
    report.add_argument(
        "--baseline",
        type=Path,
        metavar="PREVIOUS/results.json",
        help="a previous run's results: the report shows the trend against it",
    )
    report.add_argument(
        "--full-text-articles",
        type=int,
        default=None,
        metavar="N",
        help="failing articles whose full text the page embeds (others: span windows)",
    )

    clean = commands.add_parser("export-clean", help="write a copy of the table with boilerplate cut out")
    clean.add_argument("table", type=Path)
    clean.add_argument("--out", type=Path, help="default: <stem>.clean.parquet beside the table")
    clean.add_argument("--run", type=Path, help="use this validation run's spans (its --out folder)")

    evaluate = commands.add_parser("eval", help="measure a detector on a labelled corpus")
    evaluate.add_argument("corpus", choices=["langmix", "boilerplate", "dates"])
    evaluate.add_argument("path", type=Path, help="the corpus file or the corpora folder")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``article-validators`` console script."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "ingest":
            return _ingest(args)
        if args.command == "validate":
            return _validate(args)
        if args.command == "report":
            return _report(args)
        if args.command == "export-clean":
            return _export_clean(args)
        if args.command == "bench":
            return _bench(args)
        return _eval(args)
    except (InputError, SuiteError) as error:
        print(f"error: {error}", file=sys.stderr)
        return TOOL_ERROR
    except Exception:  # a crash is a tool error (exit 2), never a pass or a data failure
        traceback.print_exc()
        print("error: internal error (traceback above)", file=sys.stderr)
        return TOOL_ERROR


def _ingest(args: argparse.Namespace) -> int:
    from validators.ingest.table import ingest, sidecar_paths

    mapping: dict[str, str] = {}
    for item in args.map:
        theirs, sep, ours = item.partition("=")
        if not sep or not theirs or not ours:
            raise InputError(f"--map takes THEIRS=OURS, got {item!r}")
        mapping[theirs] = ours
    counts = ingest(args.inputs, args.out, mapping, args.format)
    quarantine, counts_file = sidecar_paths(args.out)
    print(
        f"read {counts.rows_read} rows: {counts.rows_written} written to {args.out}, "
        f"{counts.rows_quarantined} quarantined to {quarantine}"
    )
    for reason, count in sorted(counts.reasons.items()):
        print(f"  quarantined ({reason}): {count}")
    print(f"counts: {counts_file}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from validators.baseline import load_baseline
    from validators.gx_run import GateError
    from validators.pipeline import validate

    suite = load_suite(args.suite)
    if not 0.0 <= args.baseline_tolerance <= 1.0:
        raise InputError(f"--baseline-tolerance takes a fraction from 0 to 1, got {args.baseline_tolerance}")
    baseline = load_baseline(args.baseline) if args.baseline else None
    policy = GatePolicy(args.fail_on, baseline, args.baseline_tolerance)
    try:
        output = validate(args.table, suite, args.out, workers=args.workers, policy=policy, engine=args.engine)
    except GateError as error:
        print(f"error: {error}", file=sys.stderr)
        return TOOL_ERROR
    results = output.results
    total = results["articles"]
    print(f"{results['dataset']}: {total} articles, suite {results['suite']}")
    for verdict in output.verdicts:
        status = {"passed": "PASS", "warned": "WARN", "failed": "FAIL"}[verdict.status]
        print(f"  {status:4} {verdict.check_id:<24} {verdict.failed:>7} failed ({verdict.severity})")
    code = output.exit_code
    print(f"{'PASSED' if code == 0 else 'FAILED'}: {len(results['articles_failed'])} of {total} articles have findings")
    print(f"report: {output.report}")
    print(
        f"junit: {output.out_dir / 'junit.xml'}  summary: {output.out_dir / 'summary.md'}  "
        f"failing ids: {output.out_dir / 'failures'}/"
    )
    return code


def _report(args: argparse.Namespace) -> int:
    from validators.baseline import load_baseline
    from validators.pipeline import DATA_DOCS
    from validators.report import ReportLimits, write_report

    results_path = args.run_dir / "results.json"
    try:
        results = json.loads(results_path.read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise InputError(f"{results_path}: cannot read results: {error}") from error
    table = Path(results.get("run", {}).get("paths", {}).get("table", ""))
    limits = ReportLimits()
    if args.full_text_articles is not None:
        limits = ReportLimits(full_text_articles=max(args.full_text_articles, 0))
    target = write_report(
        args.run_dir,
        results,
        table if table.is_file() else None,
        DATA_DOCS,
        baseline=load_baseline(args.baseline) if args.baseline else None,
        limits=limits,
    )
    print(f"report: {target}")
    return 0


def _export_clean(args: argparse.Namespace) -> int:
    from validators.clean import export_clean
    from validators.pipeline import check_table

    check_table(args.table)
    target, changed = export_clean(args.table, args.out, args.run)
    print(f"wrote {target}: boilerplate removed from {changed} articles; the original {args.table} is unchanged")
    return 0


def _bench(args: argparse.Namespace) -> int:
    from validators.bench import format_bench, run_bench

    print(format_bench(run_bench(args.articles, corpora=args.corpora, workers=args.workers, work=args.work)))
    return 0


def _eval(args: argparse.Namespace) -> int:
    path: Path = args.path
    if args.corpus == "langmix":
        from validators.evaluation.langmix import evaluate_langmix, format_langmix

        file = path / "langmix.jsonl.gz" if path.is_dir() else path
        print(format_langmix(evaluate_langmix(file)))
    elif args.corpus == "boilerplate":
        from validators.evaluation.boilerplate import evaluate_boilerplate, format_boilerplate

        folder = path if path.is_dir() else path.parent
        print(format_boilerplate(evaluate_boilerplate(folder)))
    else:
        from validators.evaluation.dates import evaluate_dates, format_dates

        folder = path if path.is_dir() else path.parent
        print(format_dates(evaluate_dates(folder)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
