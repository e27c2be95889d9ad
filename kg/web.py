"""``kg serve``: the store on the Web, always the current one.

Oxigraph's own server (``oxigraph serve-read-only``) answers SPARQL; this module puts a small
HTTP layer (the standard library's ``ThreadingHTTPServer``) in front of it, because Oxigraph's
server alone cannot do what a live dataset needs:

* **follow the store.** Oxigraph opens a store version once; after ``kg build``, ``kg ingest``
  or ``kg withdraw`` (each a new version behind the ``build/store`` link, :mod:`kg.store`), or
  writes in place to a store made before versions (new RocksDB files in the same version), it
  would answer from the old state, or from a deleted folder.
  Before each request the layer compares the link's target and the version's files with those
  of the engine it runs; on a change it starts a new engine, switches to it, and stops the old
  one once its requests are done. The version an engine serves is held with
  :func:`kg.store.lease`, so no build deletes it meanwhile.
* **one prefix table.** A query that uses the project's prefixes (``law:pipl``) without declaring
  them gets the declarations (:func:`kg.namespaces.with_prefixes`), as in ``kg query``.
* **a query page that works offline**, our own (no CDN, no prefix.cc look-up), with the prefixes
  declared and the named queries one click away; ``/api/queries/NAME?param=…`` runs one, its
  values written by :func:`kg.queries.sparql_term`.
* **Linked Data**: ``GET /id/law/pipl`` answers with content negotiation: Turtle, JSON-LD,
  N-Triples, or an HTML page of the entity with its labels, links and sources.
* ``--cors ORIGIN`` on every answer; SIGTERM and SIGINT stop the layer and its engine.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from http.client import HTTPConnection, HTTPException
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from kg.errors import KGError, QueryError, StoreError
from kg.namespaces import DEFAULT_BASE_IRI, all_prefixes, bind_prefixes, prefix_lines, with_prefixes
from kg.remote import Endpoint, run_remote
from kg.server import Server, start_server
from kg.store import exists, lease

#: The one prefix table (:func:`kg.namespaces.all_prefixes`), as the page and the endpoint use it.
prefix_table = all_prefixes

#: Largest request body accepted (a query or a form), in bytes.
MAX_BODY = 8 * 1024 * 1024
_RDF_TYPES = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
}


# The engine, following the store ---------------------------------------------------------------


class _Leases:
    """This process's leases on store versions, counted: two engines on one version share its lease.

    :func:`kg.store.lease` marks a version with one file per process, so the engine that stops
    must not remove the mark while the engine that replaced it (an in-place ingest: same
    version, new data) still serves that version.
    """

    def __init__(self) -> None:
        self._held: dict[Path, tuple[contextlib.ExitStack, int]] = {}
        self._lock = threading.Lock()

    def take(self, version: Path) -> None:
        """Hold ``version`` (once more)."""
        with self._lock:
            held = self._held.get(version)
            if held is None:
                stack = contextlib.ExitStack()
                stack.enter_context(lease(version))
                held = (stack, 0)
            self._held[version] = (held[0], held[1] + 1)

    def give_back(self, version: Path) -> None:
        """Let go of ``version`` once; the lease ends with the last holder."""
        with self._lock:
            stack, count = self._held.pop(version)
            if count > 1:
                self._held[version] = (stack, count - 1)
            else:
                stack.close()


@dataclass
class Engine:
    """One Oxigraph server process on one state of the store, holding the lease on its version."""

    server: Server
    signature: tuple[object, ...]
    version: Path
    leases: _Leases
    users: int = 0
    retired: bool = False

    def ended(self, within: float) -> bool:
        """True when the engine process has ended, or ends ``within`` seconds."""
        try:
            self.server.process.wait(timeout=within)
        except subprocess.TimeoutExpired:
            return False
        return True

    @property
    def alive(self) -> bool:
        """False once the engine process has ended (then the next request starts another)."""
        return self.server.process.poll() is None

    def stop(self) -> None:
        """Stop the process and release the version."""
        self.server.stop()
        self.leases.give_back(self.version)


def store_signature(store_path: Path, files: bool = True) -> tuple[object, ...]:
    """What identifies the store's current state: its version folder, and that folder's files.

    RocksDB writes new files (a larger write-ahead log, new tables, a new manifest) for every
    committed change, so an ingest into the same version changes the signature too. Our lease
    markers and RocksDB's info log are left out: they change without the data changing.
    """
    if not exists(store_path):
        return ("missing",)
    version = store_path.resolve()
    if not files:
        return (str(version),)
    entries = []
    with contextlib.suppress(FileNotFoundError):
        for entry in os.scandir(version):
            if entry.name.startswith((".lease-", "LOG")):
                continue
            with contextlib.suppress(FileNotFoundError):
                stat = entry.stat()
                entries.append((entry.name, stat.st_size, stat.st_mtime_ns))
    return (str(version), *sorted(entries))


class LiveStore:
    """The engine that answers for the store at ``store_path``, replaced whenever the store changes.

    Engines are started by the thread that made this object and by a watcher thread of its own,
    both as long-lived as the process (an engine is set to die with the thread that started it).
    """

    def __init__(self, store_path: Path, writable: bool = False, poll: float = 1.0, wait: float = 60.0) -> None:
        self.store_path = store_path
        self.writable = writable
        self.wait = wait
        self._changed = threading.Condition()
        self._closed = False
        self._problem: str | None = None
        self._leases = _Leases()
        self.engine = self._start(self._signature())
        self._watcher = threading.Thread(target=self._watch, args=(poll,), name="kg-serve-watcher", daemon=True)
        self._watcher.start()

    def _signature(self) -> tuple[object, ...]:
        # A writable engine writes the store itself and sees its own changes: follow the link only.
        return store_signature(self.store_path, files=not self.writable)

    def _start(self, signature: tuple[object, ...]) -> Engine:
        if signature == ("missing",):
            raise StoreError(f"no store at {self.store_path}: run `kg build` first (or pass --store)")
        version = Path(str(signature[0]))
        self._leases.take(version)
        try:
            if self.store_path.resolve() != version:  # a build moved the link meanwhile: the caller retries
                raise StoreError(f"the store moved on from {version.name} while it was being opened")
            server = start_server(self.store_path, writable=self.writable, location=version, die_with_parent=True)
        except BaseException:
            self._leases.give_back(version)
            raise
        return Engine(server, signature, version, self._leases)

    def _watch(self, poll: float) -> None:
        while True:
            with self._changed:
                self._changed.wait(timeout=poll)
                if self._closed:
                    return
                current = self.engine.signature
            signature = self._signature()
            if (signature == current and self.engine.alive) or signature == ("missing",):
                continue
            try:
                fresh = self._start(signature)
            except (KGError, OSError) as exc:
                self._problem = str(exc)
                print(f"kg serve: warning: {exc}; trying again", file=sys.stderr)
                time.sleep(0.2)
                continue
            with self._changed:
                old, self.engine, self._problem = self.engine, fresh, None
                old.retired = True
                stop_now = old.users == 0
                self._changed.notify_all()
            if stop_now:
                old.stop()
            print(f"kg serve: now serving {Path(str(signature[0])).name}", file=sys.stderr)

    @contextlib.contextmanager
    def current(self) -> Iterator[Engine]:
        """The engine for the store as it is now: started first if the store changed since the last one."""
        deadline = time.monotonic() + self.wait
        with self._changed:
            while True:
                signature = self._signature()
                if (self.engine.signature == signature and self.engine.alive) or signature == ("missing",):
                    break
                if time.monotonic() > deadline:
                    raise StoreError(f"could not open the changed store in {self.wait:g} s: {self._problem}")
                self._changed.notify_all()
                self._changed.wait(timeout=0.5)
            engine = self.engine
            engine.users += 1
        try:
            yield engine
        finally:
            with self._changed:
                engine.users -= 1
                stop = engine.retired and engine.users == 0
            if stop:
                engine.stop()

    def close(self) -> None:
        """Stop the watcher and every engine."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()
        self._watcher.join(timeout=10)
        self.engine.stop()


# The HTTP layer ---------------------------------------------------------------------------------


@dataclass
class Site:
    """What the handler needs: the live store, the CORS origin, the base IRI, the named queries."""

    live: LiveStore
    cors: str | None = None
    base_iri: str = DEFAULT_BASE_IRI
    data: Path | None = None
    _linker: Any = field(default=None, repr=False)

    #: Where instance IRIs are served here: ``<base IRI>law/pipl`` at ``/id/law/pipl`` (w3id.org
    #: redirects ``https://w3id.org/datalaw-kg/id/…`` to a deployment's ``/id/…``).
    id_path: str = "/id/"

    def linker(self) -> Any:
        """The backbone's names, read once, for named query parameters."""
        if self._linker is None:
            from kg.ingest import load_backbone
            from kg.newsletter.link import Linker

            self._linker = Linker(load_backbone(self.data))
        return self._linker


def _accepts(header: str | None, offers: list[str]) -> str | None:
    """The offer the ``Accept`` header prefers (q-values honoured, ties to the first offer), or None."""
    if not header:
        return offers[0]
    best: tuple[float, int, str] | None = None
    for part in header.split(","):
        kind, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                with contextlib.suppress(ValueError):
                    quality = float(param[2:])
        for rank, offer in enumerate(offers):
            matches = kind in (offer, "*/*") or (kind.endswith("/*") and offer.startswith(kind[:-1]))
            if matches and quality > 0:
                specific = 0 if kind == offer else 1
                candidate = (-quality, specific * 100 + rank, offer)
                if best is None or candidate < best:
                    best = candidate
    return best[2] if best else None


class Handler(BaseHTTPRequestHandler):
    """One request: the query page, SPARQL (proxied), the named query API, or an entity."""

    site: Site
    server_version = "datalaw-kg"
    # HTTP/1.1, every answer sized or chunked: the client knows where it ends and closes first,
    # so no connection of ours lingers in TIME_WAIT on the port after kg serve stops.
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the engine's errors come back as answers; access logs are not kept."""

    def _cors(self) -> None:
        if self.site.cors:
            self.send_header("Access-Control-Allow-Origin", self.site.cors)
            self.send_header("Vary", "Origin")

    def _send(self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self._cors()
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise _Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"a request body is at most {MAX_BODY} bytes")
        return self.rfile.read(length) if length > 0 else b""

    def do_OPTIONS(self) -> None:
        """A CORS preflight."""
        self.send_response(HTTPStatus.NO_CONTENT)
        self._cors()
        self.send_header("Access-Control-Allow-Methods", "GET, POST, HEAD, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self) -> None:
        """As GET, without the body."""
        self.do_GET()

    def do_GET(self) -> None:
        """The page, SPARQL by GET, the named query API, an entity, or anything else the engine serves."""
        self._route(b"")

    def do_POST(self) -> None:
        """SPARQL by POST (form or ``application/sparql-query``), or anything else the engine takes."""
        try:
            body = self._body()
        except _Refused as refused:
            self._error(refused.status, refused.message)
            return
        self._route(body)

    def _route(self, body: bytes) -> None:
        path = urllib.parse.urlsplit(self.path).path
        try:
            if self.command in ("GET", "HEAD") and path in ("/", "/index.html"):
                page = query_page(self.site.base_iri, self.site.id_path)
                self._send(HTTPStatus.OK, page.encode("utf-8"), "text/html; charset=utf-8")
            elif path == "/api/queries":
                self._send(HTTPStatus.OK, json.dumps(_library_json(), ensure_ascii=False).encode(), "application/json")
            elif path.startswith("/api/queries/"):
                self._named_query(path.removeprefix("/api/queries/"))
            elif self.command in ("GET", "HEAD") and path.startswith(self.site.id_path) and path != self.site.id_path:
                self._entity(path)
            elif path == "/query":
                self._proxy(*_with_prefixes(self.command, self.path, self.headers.get("Content-Type"), body))
            else:
                self._proxy(self.path, body)
        except _Refused as refused:
            self._error(refused.status, refused.message)
        except QueryError as exc:
            self._error(HTTPStatus.BAD_REQUEST, str(exc))
        except (StoreError, OSError, HTTPException) as exc:
            self._error(HTTPStatus.SERVICE_UNAVAILABLE, f"the store is not available: {exc}")

    def _proxy(self, target: str, body: bytes) -> None:
        """Send the request to the engine and stream its answer back.

        An engine that has just died refuses the connection: the request is sent once more, to
        the engine that replaces it, as long as nothing was answered yet.
        """
        headers = {
            name: value
            for name, value in self.headers.items()
            if name.lower() in ("accept", "content-type", "authorization")
        }
        if body or self.command == "POST":
            headers["Content-Length"] = str(len(body))
        for attempt in (1, 2):
            with self.site.live.current() as engine:
                connection = HTTPConnection(engine.server.host, engine.server.port, timeout=600)
                try:
                    connection.request(self.command, target, body=body or None, headers=headers)
                    answer = connection.getresponse()
                except (ConnectionRefusedError, ConnectionResetError, HTTPException):
                    connection.close()
                    if attempt == 2 or not engine.ended(within=2.0):
                        raise
                    continue  # the next current() starts its replacement
                try:
                    self._relay(answer)
                finally:
                    connection.close()
                return

    def _relay(self, answer: Any) -> None:
        """Stream the engine's ``answer`` to the client: sized as it came, or chunked."""
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() in ("content-type", "content-disposition", "allow", "www-authenticate"):
                self.send_header(name, value)
        length = answer.getheader("Content-Length")
        chunked = length is None and self.command != "HEAD"
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", length or "0")
        self._cors()
        self.end_headers()
        while chunk := answer.read(1 << 16):
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")

    def _ask(self, sparql: str) -> dict[str, Any] | str:
        with self.site.live.current() as engine:
            try:
                return run_remote(Endpoint(engine.server.query_url, timeout=600, max_bytes=1 << 30), sparql)
            except QueryError:
                if engine.alive:
                    raise
        with self.site.live.current() as engine:  # it died under the question: ask the one replacing it
            return run_remote(Endpoint(engine.server.query_url, timeout=600, max_bytes=1 << 30), sparql)

    def _named_query(self, name: str) -> None:
        from kg.queries import load_query, prepare
        from kg.query import drop_variables, format_results

        values = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
        fmt = values.pop("format", "json")
        bound = prepare(load_query(name), values, self.site.linker())
        answer = self._ask(bound.text())
        if isinstance(answer, str):
            self._send(HTTPStatus.OK, answer.encode("utf-8"), "application/n-triples")
            return
        types = {"json": "application/sparql-results+json", "csv": "text/csv", "tsv": "text/tab-separated-values"}
        types["xml"] = "application/sparql-results+xml"
        if fmt not in types:
            raise QueryError(f"format {fmt!r}: one of {', '.join(types)}")
        text = format_results(drop_variables(answer, bound.hidden), fmt)  # type: ignore[arg-type]
        self._send(HTTPStatus.OK, text.encode("utf-8"), f"{types[fmt]}; charset=utf-8")

    def _entity(self, path: str) -> None:
        from kg.queries import check_iri

        iri = self.site.base_iri + urllib.parse.unquote(path.removeprefix(self.site.id_path))
        try:
            check_iri(iri, "entity")
        except QueryError:
            raise _Refused(HTTPStatus.NOT_FOUND, f"no entity at {path}") from None
        offers = ["text/html", "text/turtle", "application/ld+json", "application/n-triples"]
        asked = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query)).get("format")
        by_name = {
            "html": "text/html",
            "ttl": "text/turtle",
            "jsonld": "application/ld+json",
            "nt": "application/n-triples",
        }
        kind = by_name.get(asked or "") or _accepts(self.headers.get("Accept"), offers)
        if kind is None:
            raise _Refused(HTTPStatus.NOT_ACCEPTABLE, f"an entity is available as {', '.join(offers)}")
        graph = describe(iri, self._ask)
        if not len(graph):
            raise _Refused(HTTPStatus.NOT_FOUND, f"no entity <{iri}> in the store")
        if kind == "text/html":
            body = entity_page(iri, graph, self.site.base_iri, self.site.id_path).encode("utf-8")
            content_type = "text/html; charset=utf-8"
        else:
            graph = bind_prefixes(graph, self.site.base_iri)
            options: dict[str, Any] = (
                {"context": all_prefixes(self.site.base_iri)} if kind == "application/ld+json" else {}
            )
            body = graph.serialize(format=_RDF_TYPES[kind], encoding="utf-8", **options)
            content_type = kind + ("; charset=utf-8" if kind != "application/ld+json" else "")
        self._send(HTTPStatus.OK, body, content_type, {"Vary": "Accept"})


class _Server(ThreadingHTTPServer):
    """Threads per request; a finished connection is closed after the client closes its side."""

    daemon_threads = True

    def shutdown_request(self, request: Any) -> None:
        # The base class shuts our side first, which leaves each served connection in TIME_WAIT
        # on the port for a minute after kg serve stops; wait (briefly) for the client's close.
        with contextlib.suppress(OSError):
            request.settimeout(1.0)
            while request.recv(1 << 16):
                pass
        self.close_request(request)


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def _with_prefixes(command: str, target: str, content_type: str | None, body: bytes) -> tuple[str, bytes]:
    """The SPARQL request with the project's prefixes declared in its query (GET, form or direct POST)."""
    parts = urllib.parse.urlsplit(target)
    kind = (content_type or "").split(";")[0].strip().lower()
    try:
        if command == "POST" and kind == "application/sparql-query":
            return target, with_prefixes(body.decode("utf-8")).encode("utf-8")
        if command == "POST" and kind == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True)
            form = [(k, with_prefixes(v) if k == "query" else v) for k, v in form]
            return target, urllib.parse.urlencode(form).encode("utf-8")
        if command in ("GET", "HEAD") and parts.query:
            query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
            query = [(k, with_prefixes(v) if k == "query" else v) for k, v in query]
            return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query))), body
    except UnicodeDecodeError:
        raise _Refused(HTTPStatus.BAD_REQUEST, "the query is not UTF-8 text") from None
    return target, body


# Entities ---------------------------------------------------------------------------------------

_LABELS = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
    "https://schema.org/headline",
    "http://www.w3.org/2000/01/rdf-schema#label",
)


def describe(iri: str, ask: Callable[[str], dict[str, Any] | str]) -> Any:
    """The entity's triples, the triples that point at it, and the labels of the nodes on either side."""
    from rdflib import Graph, URIRef

    from kg.queries import sparql_term

    term = sparql_term(URIRef(iri))
    labels = " ".join(f"<{p}>" for p in _LABELS)
    sparql = f"""CONSTRUCT {{ {term} ?p ?o . ?o ?lp ?ol . ?s ?q {term} . ?s ?lq ?sl . }} WHERE {{
  {{ {term} ?p ?o OPTIONAL {{ VALUES ?lp {{ {labels} }} ?o ?lp ?ol }} }}
  UNION
  {{ {{ SELECT ?s ?q WHERE {{ ?s ?q {term} }} LIMIT 1000 }} OPTIONAL {{ VALUES ?lq {{ {labels} }} ?s ?lq ?sl }} }}
}}"""
    answer = ask(sparql)
    graph = Graph()
    if isinstance(answer, str) and answer.strip():
        graph.parse(data=answer, format="nt")
    return graph


def _short(iri: str) -> str:
    table = all_prefixes()
    matches = [(ns, p) for p, ns in table.items() if iri.startswith(ns) and len(iri) > len(ns)]
    if not matches:
        return iri
    namespace, prefix = max(matches, key=lambda m: len(m[0]))
    return f"{prefix}:{iri[len(namespace) :]}"


def entity_page(iri: str, graph: Any, base_iri: str, id_path: str) -> str:
    """An HTML page of one entity: its names, classes, links both ways (by label) and sources."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import DCTERMS, RDF, SKOS

    subject = URIRef(iri)

    def label(node: Any) -> str:
        found: dict[str, str] = {}
        for predicate in _LABELS:
            for value in graph.objects(node, URIRef(predicate)):
                found.setdefault(getattr(value, "language", None) or "", str(value))
        return found.get("en") or found.get("") or next(iter(found.values()), _short(str(node)))

    def link(node: Any) -> str:
        if isinstance(node, Literal):
            lang = f' <span class="lang">@{html.escape(node.language)}</span>' if node.language else ""
            return html.escape(str(node)) + lang
        text = html.escape(label(node))
        target = str(node)
        if target.startswith(base_iri):
            target = id_path + target[len(base_iri) :]
        return f'<a href="{html.escape(target, quote=True)}">{text}</a>'

    names = sorted(
        (str(v), v.language or "")
        for p in (SKOS.prefLabel, SKOS.altLabel, DCTERMS.title)
        for v in graph.objects(subject, p)
        if isinstance(v, Literal)
    )
    types = sorted(_short(str(t)) for t in graph.objects(subject, RDF.type))
    out_rows = sorted((_short(str(p)), link(o)) for p, o in graph.predicate_objects(subject) if p != RDF.type)
    in_rows = sorted((link(s), _short(str(p))) for s, p, o in graph.triples((None, None, subject)))
    sources = sorted(str(o) for o in graph.objects(subject, DCTERMS.source) if isinstance(o, URIRef))
    title = html.escape(label(subject))
    rows = "".join(f"<tr><th>{html.escape(p)}</th><td>{v}</td></tr>" for p, v in out_rows)
    back = "".join(f"<tr><td>{s}</td><th>{html.escape(p)}</th></tr>" for s, p in in_rows)
    name_list = "".join(
        f"<li>{html.escape(n)}{f' <span class=lang>@{html.escape(lang)}</span>' if lang else ''}</li>"
        for n, lang in names
    )
    source_list = "".join(f'<li><a href="{html.escape(s, quote=True)}">{html.escape(s)}</a></li>' for s in sources)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} · datalaw-kg</title>
<style>{_STYLE}</style></head><body>
<header><a href="/">datalaw-kg</a> · entity</header>
<h1>{title}</h1>
<p class="iri"><code>{html.escape(iri)}</code> · {html.escape(", ".join(types))}
 · also as <a href="?format=ttl">Turtle</a>, <a href="?format=jsonld">JSON-LD</a>, <a href="?format=nt">N-Triples</a></p>
<h2>Names</h2><ul>{name_list or "<li>none</li>"}</ul>
<h2>Sources</h2><ul>{source_list or "<li>none stated</li>"}</ul>
<h2>Statements</h2><table>{rows}</table>
<h2>Linked from</h2><table>{back or "<tr><td>nothing</td></tr>"}</table>
</body></html>
"""


# The query page ---------------------------------------------------------------------------------

_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1200px; padding: 0 1em 3em; color: #222; }
header { padding: .6em 0; border-bottom: 1px solid #ddd; margin-bottom: 1em; }
a { color: #0b57a4; } code, textarea, pre { font: 13px/1.4 ui-monospace, monospace; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; vertical-align: top;
  border-bottom: 1px solid #eee; padding: .25em .5em; } th { font-weight: 600; }
.lang { color: #888; font-size: 85%; } .iri { color: #555; }
#layout { display: grid; grid-template-columns: 18em 1fr; gap: 1.5em; }
#queries button { display: block; width: 100%; text-align: left; margin: 0 0 .25em; padding: .3em .5em;
  border: 1px solid #ccd; background: #f7f8fb; border-radius: 4px; cursor: pointer; }
#queries button:hover { background: #e8eefb; } textarea { width: 100%; height: 22em; box-sizing: border-box; }
#params label { display: inline-block; margin: .3em 1em .3em 0; } #status { color: #555; margin: .5em 0; }
.error { color: #a11; white-space: pre-wrap; } td, li { overflow-wrap: anywhere; }
"""


def _library_json() -> list[dict[str, Any]]:
    from kg.queries import library

    return [
        {
            "name": q.name,
            "summary": q.summary,
            "description": q.description.strip(),
            "sparql": q.path.read_text(encoding="utf-8"),
            "params": [
                {"name": p.name, "type": p.type, "required": p.required, "description": p.description}
                for p in q.params.values()
            ]
            + (
                [{"name": "page", "type": "integer", "required": False, "description": "a page of rows"}]
                if q.pagination
                else []
            ),
        }
        for q in library().values()
    ]


_SCRIPT = r"""
const queries = JSON.parse(document.getElementById('library').textContent);
const editor = document.getElementById('sparql'), params = document.getElementById('params');
const status = document.getElementById('status'), results = document.getElementById('results');
let chosen = null;
function short(iri) {
  let best = null;
  for (const [p, ns] of Object.entries(PREFIXES)) if (iri.startsWith(ns) && iri.length > ns.length && (!best || ns.length > best[1].length)) best = [p, ns];
  return best ? best[0] + ':' + iri.slice(best[1].length) : iri;
}
function el(tag, text) { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; }
function show(answer) {
  results.replaceChildren();
  if ('boolean' in answer) { results.append(el('p', String(answer.boolean))); return; }
  const vars = answer.head.vars, rows = answer.results.bindings, table = el('table'), head = el('tr');
  vars.forEach(v => head.append(el('th', v))); table.append(head);
  rows.forEach(row => { const tr = el('tr'); vars.forEach(v => { const td = el('td'), t = row[v];
    if (t && t.type === 'uri') { const a = el('a', short(t.value)); a.title = t.value; a.href = t.value.startsWith(BASE) ? ID_PATH + t.value.slice(BASE.length) : t.value; td.append(a); }
    else if (t) { td.textContent = t.value; if (t['xml:lang']) td.append(el('span', ' @' + t['xml:lang'])); }
    tr.append(td); }); table.append(tr); });
  results.append(table); status.textContent = rows.length + ' row' + (rows.length === 1 ? '' : 's');
}
async function ask(url, init) {
  status.textContent = 'running…'; results.replaceChildren();
  try {
    const answer = await fetch(url, init);
    const text = await answer.text();
    if (!answer.ok) { status.textContent = ''; const p = el('p', text); p.className = 'error'; results.append(p); return; }
    show(JSON.parse(text));
  } catch (e) { status.textContent = String(e); }
}
function run() {
  if (chosen && editor.value === chosen.sparql) {
    const values = new URLSearchParams();
    params.querySelectorAll('input').forEach(i => { if (i.value) values.set(i.name, i.value); });
    return ask('/api/queries/' + chosen.name + '?' + values, {headers: {Accept: 'application/sparql-results+json'}});
  }
  return ask('/query', {method: 'POST', body: new URLSearchParams({query: editor.value}),
    headers: {Accept: 'application/sparql-results+json'}});
}
function choose(q) {
  chosen = q; editor.value = q.sparql; params.replaceChildren();
  document.getElementById('about').textContent = q.summary + ': ' + q.description;
  q.params.forEach(p => { const label = el('label', p.name + (p.required ? ' *' : '') + ' ');
    const input = el('input'); input.name = p.name; input.placeholder = p.type; input.title = p.description;
    label.append(input); params.append(label); });
}
const list = document.getElementById('queries');
queries.forEach(q => { const b = el('button', q.name); b.title = q.summary; b.onclick = () => choose(q); list.append(b); });
document.getElementById('run').onclick = run;
editor.addEventListener('keydown', e => { if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') run(); });
editor.scrollTop = editor.scrollHeight;  // the prefixes are declared above; show the query
run();
"""


def query_page(base_iri: str = DEFAULT_BASE_IRI, id_path: str = "/id/") -> str:
    """The query page: an editor opening with the project's prefixes declared, and the named queries beside it.

    Self-contained: no script, style or font is fetched from anywhere; the named queries are in
    the page; queries go to this server's ``/query`` and ``/api/queries/NAME``.
    """
    example = prefix_lines() + (
        "\nSELECT ?law ?title WHERE {\n  ?law a dlk:LegalInstrument ; dlk:legalRank dlk:RankLaw ; skos:prefLabel ?title .\n"
        '  FILTER (lang(?title) = "en")\n} ORDER BY ?title\n'
    )
    library = json.dumps(_library_json(), ensure_ascii=False).replace("</", "<\\/")
    constants = (
        f"const BASE = {json.dumps(base_iri)}, ID_PATH = {json.dumps(id_path)}, "
        f"PREFIXES = {json.dumps(all_prefixes(base_iri))};"
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>datalaw-kg · SPARQL</title>
<style>{_STYLE}</style></head><body>
<header><b>datalaw-kg</b> · SPARQL 1.1 endpoint at <code>/query</code> · the default graph is the union of all graphs</header>
<div id="layout">
<nav><h3>Named queries</h3><div id="queries"></div></nav>
<main>
<p id="about">Write SPARQL below (the project's prefixes are declared), or pick a named query.</p>
<textarea id="sparql" spellcheck="false">{html.escape(example)}</textarea>
<div id="params"></div>
<button id="run">Run</button> <span class="lang">Ctrl+Enter</span>
<div id="status"></div><div id="results"></div>
</main></div>
<script type="application/json" id="library">{library}</script>
<script>{constants}{_SCRIPT}</script>
</body></html>
"""


# Running it -----------------------------------------------------------------------------------------


def serve(
    store_path: Path,
    host: str = "127.0.0.1",
    port: int = 7878,
    writable: bool = False,
    cors: str | None = None,
    base_iri: str = DEFAULT_BASE_IRI,
    data: Path | None = None,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve the store until SIGTERM or SIGINT; then stop the engine and free the port."""
    live = LiveStore(store_path, writable=writable)
    try:
        site = Site(live, cors, base_iri, data)
        handler = type("SiteHandler", (Handler,), {"site": site})
        try:
            httpd = _Server((host, port), handler)
        except OSError as exc:
            raise StoreError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
        previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            if ready is not None:
                ready(f"http://{host}:{httpd.server_address[1]}")
            httpd.serve_forever(poll_interval=0.2)
        except _Stop:
            pass
        finally:
            for sig, handler_before in previous.items():
                signal.signal(sig, handler_before)
            httpd.server_close()
    finally:
        live.close()


class _Stop(BaseException):
    """Raised by the signal handler to leave ``serve_forever`` (BaseException: no ``except Exception`` eats it)."""


def _stop(signum: int, frame: object) -> None:
    raise _Stop
