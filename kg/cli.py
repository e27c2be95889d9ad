"""The ``kg`` command line: a thin layer over the package's functions.

Exit codes (the only place they are decided):

* 0 — success;
* 1 — the data does not conform (validation found violations);
* 2 — an error: bad input, a missing store, a malformed query, an unreachable endpoint.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from kg import __version__
from kg.errors import KGError
from kg.namespaces import DEFAULT_BASE_IRI

EXIT_OK = 0
EXIT_NOT_CONFORMING = 1
EXIT_ERROR = 2


def _cmd_build(args: argparse.Namespace) -> int:
    from kg.build import build

    report = build(data_dir=args.data, out_dir=args.out, store_path=args.store, base_iri=args.base_iri)
    print(report.summary())
    return EXIT_OK


def _cmd_query(args: argparse.Namespace) -> int:
    from kg.query import format_results, read_query, run_local
    from kg.store import DEFAULT_STORE

    answer = run_local(args.store or DEFAULT_STORE, read_query(args.query))
    sys.stdout.write(answer if isinstance(answer, str) else format_results(answer, args.format))
    return EXIT_OK


def make_parser() -> argparse.ArgumentParser:
    """The argument parser of ``kg`` and its subcommands."""
    parser = argparse.ArgumentParser(
        prog="kg",
        description="datalaw-kg: the knowledge graph of China's data-law landscape.",
        epilog="Exit codes: 0 success, 1 data does not conform, 2 error.",
    )
    parser.add_argument("--version", action="version", version=f"kg {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser("build", help="build the graph and the store from the reference data")
    build.add_argument("--data", type=Path, default=None, help="reference data folder (default: the bundled data/)")
    build.add_argument(
        "--out", type=Path, default=Path("build"), help="output folder for dumps and store (default: build)"
    )
    build.add_argument("--store", type=Path, default=None, help="store location (default: OUT/store)")
    build.add_argument(
        "--base-iri", default=DEFAULT_BASE_IRI, help=f"base of instance IRIs (default: {DEFAULT_BASE_IRI})"
    )
    build.set_defaults(run=_cmd_build)

    query = commands.add_parser("query", help="run a SPARQL query (text or .rq file) on the store")
    query.add_argument("query", help="SPARQL text, or the path of a .rq file")
    query.add_argument("--store", type=Path, default=None, help="store location (default: build/store)")
    query.add_argument("--format", choices=("table", "csv", "tsv", "json"), default="table", help="output format")
    query.set_defaults(run=_cmd_query)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``kg`` with ``argv`` (default: the process arguments) and return the exit code."""
    parser = make_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return EXIT_ERROR
    try:
        return int(args.run(args))
    except KGError as exc:
        print(f"kg {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
