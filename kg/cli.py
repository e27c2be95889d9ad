"""The ``kg`` command line: a thin layer over the package's functions.

Exit codes (the only place they are decided):

* 0 — success;
* 1 — the data does not conform (validation found violations);
* 2 — an error: bad input, a missing store, a malformed query, an unreachable endpoint.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kg import __version__
from kg.errors import KGError, NotConforming
from kg.namespaces import DEFAULT_BASE_IRI

if TYPE_CHECKING:
    from kg.ingest import IssueGraph


EXIT_OK = 0
EXIT_NOT_CONFORMING = 1
EXIT_ERROR = 2


def _cmd_build(args: argparse.Namespace) -> int:
    from kg.build import build

    report = build(
        data_dir=args.data, out_dir=args.out, store_path=args.store, base_iri=args.base_iri, force=args.force
    )
    print(report.summary())
    if report.validation is not None and report.validation.violations:
        sys.stderr.write(report.validation.text())
    return EXIT_OK


def _parse_params(pairs: list[str]) -> dict[str, str]:
    from kg.errors import QueryError

    values = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise QueryError(f"--param {pair!r} is not NAME=VALUE")
        values[name.strip()] = value
    return values


def _cmd_query(args: argparse.Namespace) -> int:
    from kg.errors import QueryError
    from kg.queries import Endpoint, bind, library, load_query, run_remote
    from kg.query import format_results, read_query, run_local
    from kg.store import DEFAULT_STORE

    if args.list:
        for name, named in library().items():
            print(f"{name:<28} {named.summary}")
        return EXIT_OK
    if not args.query:
        raise QueryError("give a query name, SPARQL text or a .rq file (or --list)")
    params = _parse_params(args.param)
    if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", args.query):
        named = load_query(args.query)
        if args.describe:
            sys.stdout.write(named.describe())
            return EXIT_OK
        from kg.ingest import load_backbone
        from kg.newsletter.link import Linker

        sparql = bind(named, params, Linker(load_backbone(args.data)))
    else:
        if params or args.describe:
            raise QueryError("--param and --describe go with a named query (kg query --list)")
        sparql = read_query(args.query)
    if args.endpoint:
        password = args.password if args.password is not None else os.environ.get("KG_ENDPOINT_PASSWORD")
        answer: object = run_remote(Endpoint(args.endpoint, args.user, password, args.timeout), sparql)
    else:
        answer = run_local(args.store or DEFAULT_STORE, sparql)
    sys.stdout.write(answer if isinstance(answer, str) else format_results(answer, args.format))  # type: ignore[arg-type]
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    from kg.server import start_server
    from kg.store import DEFAULT_STORE

    server = start_server(args.store or DEFAULT_STORE, args.host, args.port, writable=args.writable)
    mode = "read-write" if args.writable else "read-only"
    print(
        f"serving {args.store or DEFAULT_STORE} ({mode}) at {server.url}/ ; SPARQL endpoint {server.query_url} ; Ctrl-C stops"
    )
    try:
        server.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return EXIT_OK


def _cmd_publish(args: argparse.Namespace) -> int:
    from kg.server import publish
    from kg.store import DEFAULT_STORE

    password = args.password if args.password is not None else os.environ.get("KG_ENDPOINT_PASSWORD")
    for graph, triples in publish(args.store or DEFAULT_STORE, args.endpoint, args.user, password, args.timeout):
        print(f"published <{graph}>: {triples} triples")
    return EXIT_OK


def _warn(lines: list[str]) -> None:
    for line in lines:
        print(f"warning: {line}", file=sys.stderr)


def _new_entity_lines(graphs: list[IssueGraph]) -> list[str]:
    from kg.newsletter.link import kind_of

    return [
        f"new {kind_of(entity)} awaiting curation: {entity.name_en!r} (issue {g.issue_id}, id {entity.id})"
        for g in graphs
        for entity in g.new_entities
    ]


def _cmd_extract(args: argparse.Namespace) -> int:
    from kg.ingest import extract_files, issue_graphs, load_backbone
    from kg.newsletter.link import Linker

    backbone = load_backbone(args.data)
    extractions = extract_files(args.files, Linker(backbone))
    records = [e.record for e in extractions]
    for extraction in extractions:
        _warn(extraction.warnings)
    for line in _new_entity_lines(issue_graphs(records, backbone)):
        print(line, file=sys.stderr)
    if args.format == "jsonl":
        text = "".join(r.model_dump_json(exclude_none=True) + "\n" for r in records)
    else:
        import yaml

        docs = [r.model_dump(mode="json", exclude_none=True) for r in records]
        text = yaml.safe_dump_all(docs, allow_unicode=True, sort_keys=False, width=120)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _cmd_ingest(args: argparse.Namespace) -> int:
    from kg.ingest import ingest
    from kg.store import DEFAULT_STORE

    extractions, graphs, report = ingest(
        args.files, args.store or DEFAULT_STORE, data_dir=args.data, base_iri=args.base_iri, force=args.force
    )
    if report.violations:
        sys.stderr.write(report.text())
    for extraction, graph in zip(extractions, graphs, strict=True):
        _warn(extraction.warnings)
        print(
            f"ingested {extraction.path}: {len(extraction.record.items)} items, {len(graph.graph)} triples -> <{graph.graph_iri}>"
        )
    for line in _new_entity_lines(graphs):
        print(line)
    return EXIT_OK


def _cmd_withdraw(args: argparse.Namespace) -> int:
    from kg.ingest import withdraw
    from kg.store import DEFAULT_STORE

    iri = withdraw(args.issue, args.store or DEFAULT_STORE, base_iri=args.base_iri)
    print(f"withdrew <{iri}>")
    return EXIT_OK


def _cmd_evaluate(args: argparse.Namespace) -> int:
    import json

    from kg.errors import InputError
    from kg.ingest import extract_files, load_backbone
    from kg.newsletter.evaluate import load_gold, score_all
    from kg.newsletter.link import Linker

    gold_files = sorted(args.gold.glob("*.yaml")) if args.gold.is_dir() else []
    if not gold_files:
        raise InputError("no gold files (*.yaml) in this folder", args.gold)
    corpus = args.corpus or args.gold.parent / "corpus"
    linker = Linker(load_backbone(args.data))
    pairs = []
    for path in gold_files:
        gold = load_gold(path)
        (extraction,) = extract_files([corpus / gold.newsletter], linker)
        pairs.append((extraction.record, gold))
    scores = score_all(pairs, same=linker.same)
    if args.format == "json":
        print(json.dumps(scores.to_json(), ensure_ascii=False, indent=1))
    else:
        print(scores.table())
        for miss in scores.misses:
            print(f"miss: {miss.newsletter} item {miss.n} {miss.field}: expected {miss.expected!r}, got {miss.got!r}")
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    from kg.store import DEFAULT_STORE
    from kg.validate import validate_file, validate_store

    engine = args.engine
    report = validate_file(args.file, engine) if args.file else validate_store(args.store or DEFAULT_STORE, engine)
    sys.stdout.write(report.render(args.format))
    return EXIT_OK if report.conforms else EXIT_NOT_CONFORMING


def _export_graph(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    import datetime as dt

    from kg.errors import InputError
    from kg.export import DEFAULT_TYPES, Filters, entity_graph
    from kg.ingest import load_backbone
    from kg.newsletter.link import Linker
    from kg.queries import Param, parse_value
    from kg.store import DEFAULT_STORE

    focus = None
    if args.focus:
        focus = str(parse_value(Param("focus", "any"), args.focus, Linker(load_backbone(args.data))))
    try:
        since = dt.date.fromisoformat(args.since) if args.since else None
        until = dt.date.fromisoformat(args.until) if args.until else None
    except ValueError as exc:
        raise InputError(f"--since/--until take dates as YYYY-MM-DD: {exc}") from exc
    types = tuple(t.strip() for t in args.types.split(",")) if args.types else DEFAULT_TYPES
    return entity_graph(args.store or DEFAULT_STORE, Filters(focus, args.depth, types, since, until)), focus


def _cmd_export(args: argparse.Namespace) -> int:
    from kg.export import write

    graph, _ = _export_graph(args)
    out = args.out or Path("build") / (f"graph.{args.format}" if args.format != "csv" else "graph-csv")
    for path in write(graph, args.format, out):
        print(f"wrote {path} ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges)")
    return EXIT_OK


def _cmd_view(args: argparse.Namespace) -> int:
    from kg.export import sample
    from kg.view import write_page

    graph, focus = _export_graph(args)
    drawn, cut = sample(graph, args.max_nodes, [focus] if focus else [])
    warning = None
    if cut:
        warning = (
            f"The graph has {graph.number_of_nodes()} nodes; this page draws the {drawn.number_of_nodes()} best connected. "
            "Narrow it with --focus, --types, --since or --until."
        )
        print(f"warning: {warning}", file=sys.stderr)
    path = write_page(drawn, args.out or Path("build") / "view.html", warning=warning)
    print(f"wrote {path} ({drawn.number_of_nodes()} nodes, {drawn.number_of_edges()} edges)")
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    from kg.report import build_report
    from kg.store import DEFAULT_STORE

    report = build_report(args.store or DEFAULT_STORE, args.out or Path("build") / "report")
    for path in [*report.charts, report.page]:
        print(f"wrote {path}")
    return EXIT_OK


def _add_filters(parser: argparse.ArgumentParser) -> None:
    _add_store(parser)
    _add_data(parser)
    parser.add_argument("--focus", default=None, help="keep only the neighbourhood of this entity (name or IRI)")
    parser.add_argument("--depth", type=int, default=2, help="how many links from the focus (default: 2)")
    parser.add_argument("--types", default=None, help="comma-separated types to keep, e.g. LegalInstrument,Authority")
    parser.add_argument("--since", default=None, help="drop dated entities before this date (YYYY-MM-DD)")
    parser.add_argument("--until", default=None, help="drop dated entities after this date (YYYY-MM-DD)")


def _cmd_schema(args: argparse.Namespace) -> int:
    import json

    from kg.newsletter.records import record_json_schema

    print(json.dumps(record_json_schema(), indent=2, ensure_ascii=False))
    return EXIT_OK


def _add_store(parser: argparse.ArgumentParser, default: str = "build/store") -> None:
    parser.add_argument("--store", type=Path, default=None, help=f"store location (default: {default})")


def _add_data(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=None, help="reference data folder (default: the bundled data/)")


def _add_base_iri(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--base-iri", default=DEFAULT_BASE_IRI, help=f"base of instance IRIs (default: {DEFAULT_BASE_IRI})"
    )


def _add_endpoint(parser: argparse.ArgumentParser, help_text: str, required: bool = False) -> None:
    parser.add_argument("--endpoint", required=required, default=None, help=help_text)
    parser.add_argument("--user", default=None, help="user for HTTP basic (or, publishing, digest) auth")
    parser.add_argument("--password", default=None, help="password (default: $KG_ENDPOINT_PASSWORD)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for the endpoint (default: 30)")


def _add_force(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true", help="write even if the data does not conform to the shapes")


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
    _add_force(build)
    build.set_defaults(run=_cmd_build)

    query = commands.add_parser("query", help="run a named query, SPARQL text or a .rq file, here or on an endpoint")
    query.add_argument("query", nargs="?", help="a named query (see --list), SPARQL text, or the path of a .rq file")
    query.add_argument(
        "--param", action="append", default=[], metavar="NAME=VALUE", help="a parameter of a named query"
    )
    query.add_argument("--list", action="store_true", help="list the named queries")
    query.add_argument("--describe", action="store_true", help="describe a named query and its parameters")
    _add_store(query)
    _add_data(query)
    query.add_argument("--format", choices=("table", "csv", "tsv", "json"), default="table", help="output format")
    _add_endpoint(query, "SPARQL 1.1 query endpoint to run on instead of the embedded store")
    query.set_defaults(run=_cmd_query)

    serve = commands.add_parser("serve", help="serve the store over SPARQL 1.1 with a query UI (Oxigraph)")
    _add_store(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=7878, help="port (default: 7878)")
    serve.add_argument("--writable", action="store_true", help="accept updates (default: read-only)")
    serve.set_defaults(run=_cmd_serve)

    publish = commands.add_parser("publish", help="upload every named graph to a Graph Store Protocol endpoint")
    _add_store(publish)
    _add_endpoint(publish, "Graph Store Protocol endpoint, e.g. http://localhost:3030/ds/data", required=True)
    publish.set_defaults(run=_cmd_publish)

    extract = commands.add_parser("extract", help="read newsletter issues into records (gold format)")
    extract.add_argument("files", nargs="+", type=Path, help="newsletter issues (text, HTML or Markdown)")
    extract.add_argument("--format", choices=("jsonl", "yaml"), default="jsonl", help="output format (default: jsonl)")
    extract.add_argument("--out", type=Path, default=None, help="write here instead of standard output")
    _add_data(extract)
    extract.set_defaults(run=_cmd_extract)

    ingest = commands.add_parser("ingest", help="extract issues and replace their named graphs in the store")
    ingest.add_argument("files", nargs="+", type=Path, help="newsletter issues")
    _add_store(ingest)
    _add_data(ingest)
    _add_base_iri(ingest)
    _add_force(ingest)
    ingest.set_defaults(run=_cmd_ingest)

    withdraw = commands.add_parser("withdraw", help="remove one issue's graph from the store")
    withdraw.add_argument("issue", help="issue id or file name (e.g. 000_8874ccff001c940d.txt)")
    _add_store(withdraw)
    _add_base_iri(withdraw)
    withdraw.set_defaults(run=_cmd_withdraw)

    evaluate = commands.add_parser("evaluate", help="score extraction against gold annotations")
    evaluate.add_argument("--gold", type=Path, required=True, help="folder of gold *.yaml files")
    evaluate.add_argument("--corpus", type=Path, default=None, help="folder of the issues (default: GOLD/../corpus)")
    evaluate.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    _add_data(evaluate)
    evaluate.set_defaults(run=_cmd_evaluate)

    validate = commands.add_parser("validate", help="validate the store, or an RDF file, against the SHACL shapes")
    validate.add_argument("file", nargs="?", type=Path, default=None, help="an RDF file (default: the store)")
    _add_store(validate)
    validate.add_argument(
        "--format", choices=("text", "json", "ttl"), default="text", help="report format (ttl: the full SHACL report)"
    )
    validate.add_argument(
        "--engine",
        choices=("oxigraph", "turbo", "pyshacl"),
        default=None,
        help="engine: oxigraph (the shapes as SPARQL on the store), or the SHACL engines turbo or pyshacl"
        " (default: $KG_SHACL_ENGINE, else oxigraph)",
    )
    validate.set_defaults(run=_cmd_validate)

    export = commands.add_parser("export", help="export the entity graph for Gephi, Cytoscape and the web")
    export.add_argument("--format", choices=("graphml", "gexf", "json", "cytoscape", "csv"), default="graphml")
    export.add_argument(
        "--out", type=Path, default=None, help="output file (a folder for csv; default: build/graph.FORMAT)"
    )
    _add_filters(export)
    export.set_defaults(run=_cmd_export)

    view = commands.add_parser("view", help="write one self-contained interactive HTML page of the graph")
    view.add_argument("--out", type=Path, default=None, help="output file (default: build/view.html)")
    view.add_argument("--max-nodes", type=int, default=1500, help="sample larger graphs down to this many nodes")
    _add_filters(view)
    view.set_defaults(run=_cmd_view)

    report = commands.add_parser("report", help="write charts (PNG, SVG) and a one-page HTML summary")
    _add_store(report)
    report.add_argument("--out", type=Path, default=None, help="output folder (default: build/report)")
    report.set_defaults(run=_cmd_report)

    schema = commands.add_parser("schema", help="print the JSON Schema of extraction records")
    schema.set_defaults(run=_cmd_schema)
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
    except NotConforming as exc:
        report = exc.report
        sys.stderr.write(report.text() if hasattr(report, "text") else str(report))
        print(f"kg {args.command}: {exc}", file=sys.stderr)
        return EXIT_NOT_CONFORMING
    except KGError as exc:
        print(f"kg {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: not an error of ours, and nothing more to say.
        sys.stderr.close()
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
