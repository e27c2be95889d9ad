"""The ``kg`` command line: a thin layer over the package's functions.

Exit codes (the only place they are decided):

* 0 — success;
* 1 — the data does not conform (validation found violations);
* 2 — an error: bad input, a missing store, a malformed query, an unreachable endpoint.
"""

from __future__ import annotations

import argparse
import os
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
#: Ctrl-C: the shell's convention (128 + SIGINT); a write interrupted leaves the store as it was.
EXIT_INTERRUPTED = 130


def _cmd_build(args: argparse.Namespace) -> int:
    from kg.build import build

    report = build(
        data_dir=args.data,
        out_dir=args.out,
        store_path=args.store,
        base_iri=args.base_iri,
        force=args.force,
        laws_dir=_laws_dir(args),
        # The default folder is shared input: a text the backbone lacks is skipped there, an error with --laws.
        skip_unknown_laws=args.laws is None,
        drop_ingested=args.drop_ingested,
        wait=args.wait,
    )
    _warn(report.warnings)
    print(report.summary())
    if report.validation is not None and report.validation.violations:
        sys.stderr.write(report.validation.text())
    return EXIT_OK


#: Where ``kg build`` looks for official statute texts when ``--laws`` is not given (relative to the working directory).
DEFAULT_LAWS = Path("..") / "shared" / "laws"


def _laws_dir(args: argparse.Namespace) -> Path | None:
    """The folder of statute texts to read: ``--laws``, else ``../shared/laws`` if it exists; none with ``--no-laws``."""
    if args.no_laws:
        return None
    if args.laws is not None:
        return Path(args.laws)
    return DEFAULT_LAWS if DEFAULT_LAWS.is_dir() else None


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
    from kg.queries import Endpoint, library, load_query, prepare, run_remote
    from kg.query import QUERY_NAME, drop_variables, format_results, read_query, run_bound, run_local
    from kg.store import DEFAULT_STORE

    if args.list:
        for name, named in library().items():
            print(f"{name:<28} {named.summary}")
        return EXIT_OK
    if not args.query:
        raise QueryError("give a query name, SPARQL text or a .rq file (or --list)")
    params = _parse_params(args.param)
    endpoint = None
    if args.endpoint is not None:
        password = args.password if args.password is not None else os.environ.get("KG_ENDPOINT_PASSWORD")
        if not args.max_reply_mb > 0:
            raise QueryError(f"--max-reply-mb must be a positive number of megabytes, not {args.max_reply_mb:g}")
        endpoint = Endpoint(args.endpoint, args.user, password, args.timeout, int(args.max_reply_mb * 2**20))
    answer: object
    if QUERY_NAME.fullmatch(args.query):
        named = load_query(args.query)
        if args.describe:
            sys.stdout.write(named.describe())
            return EXIT_OK
        from kg.ingest import load_backbone
        from kg.newsletter.link import Linker

        bound = prepare(named, params, Linker(load_backbone(args.data)))
        if endpoint is not None:
            answer = drop_variables(run_remote(endpoint, bound.text()), bound.hidden)
        else:
            answer = run_bound(bound, args.store or DEFAULT_STORE)
    else:
        if params or args.describe:
            raise QueryError("--param and --describe go with a named query (kg query --list)")
        sparql = read_query(args.query)
        answer = (
            run_remote(endpoint, sparql) if endpoint is not None else run_local(args.store or DEFAULT_STORE, sparql)
        )
    sys.stdout.write(answer if isinstance(answer, str) else format_results(answer, args.format))
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    from contextlib import ExitStack

    from kg.store import DEFAULT_STORE, reseal
    from kg.web import serve

    store = args.store or DEFAULT_STORE
    mode = "read-write" if args.writable else "read-only"

    def ready(url: str) -> None:
        print(f"serving {store} ({mode}) at {url}/ ; SPARQL endpoint {url}/query ; Ctrl-C stops", flush=True)

    with ExitStack() as held:
        if args.writable:  # it writes the current version in place: no other writer meanwhile
            from kg.lock import writer_lock

            held.enter_context(writer_lock(store, "kg serve --writable", args.wait))
        serve(store, args.host, args.port, args.writable, args.cors, args.base_iri, args.data, ready)
        if args.writable and reseal(store, "kg serve --writable"):
            print(
                "the store changed: its manifest is updated and its dumps removed (kg dump writes them)",
                file=sys.stderr,
            )
    return EXIT_OK


def _cmd_publish(args: argparse.Namespace) -> int:
    from kg import progress
    from kg.server import publish
    from kg.store import DEFAULT_STORE

    password = args.password if args.password is not None else os.environ.get("KG_ENDPOINT_PASSWORD")
    with progress.task(f"uploading every named graph to {args.endpoint}"):
        sent = publish(args.store or DEFAULT_STORE, args.endpoint, args.user, password, args.timeout)
    for graph, triples in sent:
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
        explanation = extraction.parsed.explanation
        for line in explanation if args.explain else explanation[-1:]:
            print(f"layout: {line}", file=sys.stderr)
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
        args.files,
        args.store or DEFAULT_STORE,
        data_dir=args.data,
        base_iri=args.base_iri,
        force=args.force,
        replace=args.replace,
        dump=args.dump,
        wait=args.wait,
        say=lambda line: print(f"note: {line}", file=sys.stderr),
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

    iri = withdraw(args.issue, args.store or DEFAULT_STORE, base_iri=args.base_iri, dump=args.dump, wait=args.wait)
    print(f"withdrew <{iri}>")
    return EXIT_OK


def _cmd_dump(args: argparse.Namespace) -> int:
    from kg.build import dump
    from kg.store import DEFAULT_STORE

    for link in dump(args.store or DEFAULT_STORE, args.out, wait=args.wait):
        print(f"wrote {link}")
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
    from kg import progress
    from kg.store import DEFAULT_STORE
    from kg.validate import validate_file, validate_store

    engine = args.engine
    if not args.file:
        _check_manifest(args.store or DEFAULT_STORE)
    with progress.task(f"validating {args.file or args.store or DEFAULT_STORE} against the shapes"):
        report = validate_file(args.file, engine) if args.file else validate_store(args.store or DEFAULT_STORE, engine)
    sys.stdout.write(report.render(args.format))
    return EXIT_OK if report.conforms else EXIT_NOT_CONFORMING


def _check_manifest(store_path: Path) -> None:
    """The store must match its manifest before its data is worth validating (one line on stderr either way)."""
    from kg.errors import StoreError
    from kg.store import check_manifest

    manifest, problems = check_manifest(store_path)
    if manifest is None:
        print(
            f"warning: {store_path} has no manifest (made before kg kept one): its digests are not checked",
            file=sys.stderr,
        )
    elif problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise StoreError(
            f"the store at {store_path} does not match its manifest: {problems[0]}{more}; rebuild it with `kg build`"
        )
    else:
        dumps = f", dumps {', '.join(manifest.dumps)}" if manifest.dumps else ", no dumps (kg dump writes them)"
        print(
            f"manifest: {len(manifest.graphs)} graphs, {manifest.quads} quads and {len(manifest.issues)} issues match "
            f"(made by {manifest.made_by} at {manifest.made_at}{dumps})",
            file=sys.stderr,
        )


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
    from kg.export import EXTENSIONS, write

    graph, _ = _export_graph(args)
    out = args.out or Path("build") / (f"graph.{EXTENSIONS[args.format]}" if args.format != "csv" else "graph-csv")
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
            f"The graph has {graph.number_of_nodes()} nodes; this page draws the {drawn.number_of_nodes()} nearest to "
            f"{'the focus' if focus else 'the laws'}. Narrow it with --focus, --types, --since or --until, "
            "or raise --max-nodes."
        )
        print(f"warning: {warning}", file=sys.stderr)
    path = write_page(drawn, args.out or Path("build") / "view.html", warning=warning, focus=focus)
    print(f"wrote {path} ({drawn.number_of_nodes()} nodes, {drawn.number_of_edges()} edges)")
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    from kg.report import build_report
    from kg.store import DEFAULT_STORE

    report = build_report(args.store or DEFAULT_STORE, args.out or Path("build") / "report")
    for path in [*report.charts, report.page]:
        print(f"wrote {path}")
    return EXIT_OK


def _cmd_docs(args: argparse.Namespace) -> int:
    from kg.docs import write_docs
    from kg.store import DEFAULT_STORE, exists

    store = args.store or DEFAULT_STORE
    if args.store is None and not exists(store):
        print(
            f"warning: no store at {store}: the dataset description (void.ttl) is left out; run `kg build`",
            file=sys.stderr,
        )
        store = None
    docs = write_docs(args.out or Path("build") / "docs", store, args.base_iri, store.parent if store else None)
    for path in docs.files:
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


def _add_wait(parser: argparse.ArgumentParser) -> None:
    from kg.lock import DEFAULT_WAIT

    parser.add_argument(
        "--wait",
        type=float,
        default=DEFAULT_WAIT,
        metavar="SECONDS",
        help=f"how long to wait for another command writing the store (default: {DEFAULT_WAIT:g})",
    )


def _add_dump(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dump", action="store_true", help="rewrite the dumps (kg.nq, kg.nt, kg.ttl, kg.jsonld) with the store"
    )


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
    laws = build.add_mutually_exclusive_group()
    laws.add_argument(
        "--laws",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder of official Chinese statute texts (*.md, one paragraph per article 第N条), matched to the"
        " backbone by title, to make one node per article from; a text no instrument has is an error"
        f" (default: {DEFAULT_LAWS} when it exists, where such a text is skipped with a warning; else none)",
    )
    laws.add_argument("--no-laws", action="store_true", help="read no statute texts, even if the default folder exists")
    _add_force(build)
    build.add_argument(
        "--drop-ingested",
        action="store_true",
        help="build from the data alone, leaving out the issues ingested (and withdrawn) since the last build",
    )
    _add_wait(build)
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
    query.add_argument(
        "--format",
        choices=("table", "csv", "tsv", "json", "xml"),
        default="table",
        help="output format: an aligned table, or SPARQL 1.1 CSV, TSV, JSON or XML results",
    )
    _add_endpoint(query, "SPARQL 1.1 query endpoint to run on instead of the embedded store")
    query.add_argument(
        "--max-reply-mb",
        type=float,
        default=64,
        help="refuse an endpoint reply larger than this many MB (default: 64)",
    )
    query.set_defaults(run=_cmd_query)

    serve = commands.add_parser(
        "serve", help="serve the current store: SPARQL 1.1, a query page, entity pages (Linked Data)"
    )
    _add_store(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=7878, help="port (default: 7878)")
    serve.add_argument("--writable", action="store_true", help="accept updates (default: read-only)")
    serve.add_argument("--cors", default=None, metavar="ORIGIN", help="allow cross-origin requests from ORIGIN (or *)")
    _add_base_iri(serve)
    _add_data(serve)
    _add_wait(serve)
    serve.set_defaults(run=_cmd_serve)

    publish = commands.add_parser("publish", help="upload every named graph to a Graph Store Protocol endpoint")
    _add_store(publish)
    _add_endpoint(publish, "Graph Store Protocol endpoint, e.g. http://localhost:3030/ds/data", required=True)
    publish.set_defaults(run=_cmd_publish)

    extract = commands.add_parser("extract", help="read newsletter issues into records (gold format)")
    extract.add_argument("files", nargs="+", type=Path, help="newsletter issues (text, HTML or Markdown)")
    extract.add_argument("--format", choices=("jsonl", "yaml"), default="jsonl", help="output format (default: jsonl)")
    extract.add_argument("--out", type=Path, default=None, help="write here instead of standard output")
    extract.add_argument(
        "--explain", action="store_true", help="say on stderr which layouts were tried and why the chosen one holds"
    )
    _add_data(extract)
    extract.set_defaults(run=_cmd_extract)

    ingest = commands.add_parser("ingest", help="extract issues and replace their named graphs in the store")
    ingest.add_argument("files", nargs="+", type=Path, help="newsletter issues")
    _add_store(ingest)
    _add_data(ingest)
    _add_base_iri(ingest)
    _add_force(ingest)
    ingest.add_argument(
        "--replace", action="store_true", help="let a shorter copy of a stored issue replace it (refused by default)"
    )
    _add_dump(ingest)
    _add_wait(ingest)
    ingest.set_defaults(run=_cmd_ingest)

    withdraw = commands.add_parser("withdraw", help="remove one issue's graph from the store")
    withdraw.add_argument("issue", help="issue id or file name (e.g. 000_8874ccff001c940d.txt)")
    _add_store(withdraw)
    _add_base_iri(withdraw)
    _add_dump(withdraw)
    _add_wait(withdraw)
    withdraw.set_defaults(run=_cmd_withdraw)

    dump = commands.add_parser("dump", help="write the store's dumps (after kg ingest or kg withdraw)")
    _add_store(dump)
    dump.add_argument(
        "--out", type=Path, default=None, help="folder for the kg.* links to the dumps (default: the store's folder)"
    )
    _add_wait(dump)
    dump.set_defaults(run=_cmd_dump)

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
    view.add_argument(
        "--max-nodes",
        type=int,
        default=500,
        help="draw at most this many nodes, nearest the laws or focus (default: 500)",
    )
    _add_filters(view)
    view.set_defaults(run=_cmd_view)

    report = commands.add_parser("report", help="write charts (PNG, SVG) and a one-page HTML summary")
    _add_store(report)
    report.add_argument("--out", type=Path, default=None, help="output folder (default: build/report)")
    report.set_defaults(run=_cmd_report)

    docs = commands.add_parser(
        "docs", help="write the ontology's documentation and the dataset's VoID/DCAT description"
    )
    _add_store(docs)
    docs.add_argument("--out", type=Path, default=None, help="output folder (default: build/docs)")
    _add_base_iri(docs)
    docs.set_defaults(run=_cmd_docs)

    schema = commands.add_parser("schema", help="print the JSON Schema of extraction records")
    schema.set_defaults(run=_cmd_schema)

    # Every command takes --quiet, before or after its name (`kg -q build`, `kg build -q`).
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr (results still print)")
    for command in commands.choices.values():
        command.add_argument(
            "-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="no progress on stderr"
        )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``kg`` with ``argv`` (default: the process arguments) and return the exit code."""
    parser = make_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return EXIT_ERROR
    from kg import progress

    progress.configure("quiet" if args.quiet else "auto", label=f"kg {args.command}")
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
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            # The reader (e.g. `| head`) went away: not an error of ours, and nothing more to say.
            sys.stderr.close()
            return EXIT_OK
        # The file system refused (no space, no permission, a file where a folder should be).
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"kg {args.command}: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(f"kg {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug of ours still reaches the user as one line, not a traceback
        if os.environ.get("KG_DEBUG"):
            raise
        print(
            f"kg {args.command}: internal error: {type(exc).__name__}: {exc} (a bug; KG_DEBUG=1 shows where)",
            file=sys.stderr,
        )
        return EXIT_ERROR
    finally:
        progress.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
