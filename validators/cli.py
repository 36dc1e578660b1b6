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

from validators.gate import TOOL_ERROR, exit_code
from validators.ingest.records import InputError
from validators.suite import SuiteError, load_suite

DEFAULT_SUITE = Path(__file__).resolve().parent.parent / "suites" / "news.yml"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="article-validators", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="read JSONL, CSV, Parquet, text or HTML into an article table")
    ingest.add_argument("inputs", nargs="+", type=Path, help="files or folders")
    ingest.add_argument("--out", required=True, type=Path, help="the article table to write (.parquet)")
    ingest.add_argument("--map", action="append", default=[], metavar="THEIRS=OURS",
                        help="rename an input field onto a schema column (repeatable)")
    ingest.add_argument("--format", choices=["jsonl", "csv", "parquet", "txt", "html"],
                        help="input format (default: from each file's extension)")

    validate = commands.add_parser("validate", help="validate an article table against a suite")
    # A string: with --engine spark the table may be a URI (s3a://, hdfs://) that Path would mangle.
    validate.add_argument("table", help="a Parquet file or a folder of them (Spark: also s3a:// or hdfs://)")
    validate.add_argument("--suite", type=Path, default=DEFAULT_SUITE)
    validate.add_argument("--out", required=True, type=Path, help="folder for results, report and Data Docs")
    validate.add_argument("--fail-on", choices=["error", "warning"], default="error")
    validate.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    validate.add_argument("--engine", choices=["local", "spark"], default="local",
                          help="local: this machine's cores; spark: the measures and the suite run in Spark")

    bench = commands.add_parser("bench", help="time the default suite end to end and per stage on N articles")
    bench.add_argument("--articles", type=int, default=20_000, help="articles to build (default: 20000)")
    bench.add_argument("--corpora", type=Path, default=None,
                       help="corpora folder to draw texts from (default: ../shared/corpora when present)")
    bench.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    bench.add_argument("--work", type=Path, default=None, help="folder for the built table and the run")

    report = commands.add_parser("report", help="re-render report.html from a run's folder")
    report.add_argument("run_dir", type=Path)

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
    print(f"read {counts.rows_read} rows: {counts.rows_written} written to {args.out}, "
          f"{counts.rows_quarantined} quarantined to {quarantine}")
    for reason, count in sorted(counts.reasons.items()):
        print(f"  quarantined ({reason}): {count}")
    print(f"counts: {counts_file}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from validators.gx_run import GateError
    from validators.pipeline import validate

    suite = load_suite(args.suite)
    try:
        output = validate(args.table, suite, args.out, workers=args.workers, engine=args.engine)
    except GateError as error:
        print(f"error: {error}", file=sys.stderr)
        return TOOL_ERROR
    results = output.results
    total = results["articles"]
    print(f"{results['dataset']}: {total} articles, suite {results['suite']}")
    for check in results["checks"]:
        status = "PASS" if check["success"] else ("FAIL" if check["severity"] == "error" else "WARN")
        print(f"  {status:4} {check['id']:<24} {check['failed']:>7} failed ({check['severity']})")
    code = exit_code(results, args.fail_on)
    print(f"{'PASSED' if code == 0 else 'FAILED'}: {len(results['articles_failed'])} of {total} articles "
          "have findings")
    print(f"report: {output.report}")
    return code


def _report(args: argparse.Namespace) -> int:
    from validators.atomic import write_text
    from validators.pipeline import DATA_DOCS
    from validators.report import render_report

    results_path = args.run_dir / "results.json"
    try:
        results = json.loads(results_path.read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise InputError(f"{results_path}: cannot read results: {error}") from error
    table = Path(results["run"]["paths"]["table"])
    write_text(args.run_dir / "report.html", render_report(results, table if table.exists() else None, DATA_DOCS))
    print(f"report: {args.run_dir / 'report.html'}")
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
