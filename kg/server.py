"""Serving the store over SPARQL, and publishing it to another triplestore.

``kg serve`` starts Oxigraph's own server (the ``oxigraph`` package's binary) on the store:
SPARQL 1.1 Protocol at ``/query``, a query UI in the browser at ``/``, read-only by default,
bound to 127.0.0.1, with the union of all named graphs as the default graph.

``kg publish`` uploads each named graph (the ontology, the reference backbone, one per issue)
through the SPARQL 1.1 Graph Store HTTP Protocol: one ``PUT`` per graph, which replaces that
graph atomically on the server. Credentials go as HTTP basic auth, or as digest auth when the
server asks for it (Virtuoso's ``/sparql-graph-crud-auth`` accepts digest only).
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KGError, StoreError
from kg.remote import basic_auth_header
from kg.store import database, exists, open_store


class PublishError(KGError):
    """The target triplestore could not be reached or refused a graph."""


def oxigraph_binary() -> str:
    """The path of the ``oxigraph`` server binary (from the ``oxigraph`` package on PyPI)."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if not found:
        raise StoreError("the oxigraph server is not installed: pip install oxigraph")
    return found


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port free on ``host`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """A running Oxigraph server; ``stop()`` ends it."""

    process: subprocess.Popen[bytes]
    host: str
    port: int

    @property
    def url(self) -> str:
        """The server's base URL."""
        return f"http://{self.host}:{self.port}"

    @property
    def query_url(self) -> str:
        """The SPARQL 1.1 query endpoint."""
        return f"{self.url}/query"

    @property
    def store_url(self) -> str:
        """The SPARQL 1.1 Graph Store Protocol endpoint."""
        return f"{self.url}/store"

    def stop(self) -> None:
        """Stop the server and wait for it to exit."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    # Linux: SIGTERM the engine when the thread that started it ends (the process, for the
    # long-lived threads kg serve starts it from), so a killed kg serve leaves no engine behind.
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start_server(
    store_path: Path | None,
    host: str = "127.0.0.1",
    port: int | None = None,
    writable: bool = False,
    wait: float = 20.0,
    location: Path | None = None,
    die_with_parent: bool = False,
) -> Server:
    """Start Oxigraph's server on the store at ``store_path`` (in memory when None) and wait until it answers.

    ``location`` names the store version to open (default: where the ``store_path`` link points
    now); ``die_with_parent`` ends the server with the thread that started it (Linux).
    """
    port = port or free_port(host)
    command = [oxigraph_binary()]
    if store_path is None:
        command += ["serve"]
    else:
        if not exists(store_path):
            raise StoreError(f"no store at {store_path}: run `kg build` first (or pass --store)")
        version = location or store_path.resolve()
        command += ["serve" if writable else "serve-read-only", "--location", str(database(version))]
    command += ["--bind", f"{host}:{port}", "--union-default-graph"]
    starting = _die_with_parent if die_with_parent and sys.platform.startswith("linux") else None
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=starting)
    server = Server(process, host, port)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            err = (process.stderr.read() if process.stderr else b"").decode("utf-8", "replace").strip()
            raise StoreError(f"the oxigraph server stopped at start: {err or 'no message'}")
        try:
            with socket.create_connection((host, port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.05)
    server.stop()
    raise StoreError(f"the oxigraph server did not answer on {host}:{port} within {wait:g} s")


def _challenge(endpoint: str, timeout: float) -> str | None:
    """The endpoint's ``WWW-Authenticate`` challenge, asked with a bodiless ``HEAD``; None if it sets none.

    Asked before each upload rather than answered after one: Virtuoso answers a request without
    digest credentials with a 401 and closes the connection at once, which resets the client
    still sending a large body (tens of MB) instead of letting it read the challenge.
    """
    probe = urllib.request.Request(endpoint, method="HEAD")
    try:
        with urllib.request.urlopen(probe, timeout=timeout):
            return None
    except urllib.error.HTTPError as exc:
        challenges = (exc.headers.get_all("WWW-Authenticate") or []) if exc.code == 401 else []
    digest = [c for c in challenges if c.lower().startswith("digest ")]
    found = digest or challenges
    return found[0] if found else None


def _authorization(request: urllib.request.Request, user: str, password: str, challenge: str | None) -> str:
    """The ``Authorization`` header for ``request``: digest when the challenge asks for it, else basic.

    Basic credentials are otherwise sent up front, as servers that use basic auth expect (and
    Virtuoso, which wants digest, answers them with a bare 401, hence the challenge first).

    Example:
        >>> request = urllib.request.Request("http://127.0.0.1/gsp?graph=g", method="PUT")
        >>> _authorization(request, "dba", "dba", None)
        'Basic ZGJhOmRiYQ=='
        >>> _authorization(request, "dba", "dba", 'Digest realm="SPARQL", nonce="n1", qop="auth"').split(",")[:3]
        ['Digest username="dba"', ' realm="SPARQL"', ' nonce="n1"']

    """
    scheme, _, fields = (challenge or "").partition(" ")
    if scheme.lower() == "digest":
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, request.full_url, user, password)
        chal = urllib.request.parse_keqv_list(urllib.request.parse_http_list(fields))
        answer = urllib.request.HTTPDigestAuthHandler(passwords).get_authorization(request, chal)
        if answer:
            return f"Digest {answer}"
    return basic_auth_header(user, password)


def _check_credentials(endpoint: str, user: str, password: str, timeout: float) -> None:
    """Raise the server's 401 when it refuses the credentials on a ``HEAD``, before any graph is sent.

    Virtuoso resets a large upload with wrong credentials rather than answering 401, which would
    read as an unreachable server. Other errors to a ``HEAD`` on the endpoint itself (400, 404,
    405) say nothing about the credentials and are left to the uploads.
    """
    probe = urllib.request.Request(endpoint, method="HEAD")
    probe.add_header("Authorization", _authorization(probe, user, password, _challenge(endpoint, timeout)))
    try:
        with urllib.request.urlopen(probe, timeout=timeout):
            pass
    except urllib.error.HTTPError as exc:
        if exc.code == 401:
            raise


@contextmanager
def _publish_errors(endpoint: str, iri: str | None = None) -> Iterator[None]:
    """Turn the HTTP and network errors of a request to ``endpoint`` into a :class:`PublishError`."""
    try:
        yield
    except urllib.error.HTTPError as exc:
        reason = "refused the credentials" if exc.code in (401, 403) else f"answered HTTP {exc.code} {exc.reason}"
        raise PublishError(f"{endpoint} {reason}" + (f" for graph <{iri}>" if iri else "")) from exc
    except (urllib.error.URLError, OSError) as exc:
        raise PublishError(f"{endpoint} is unreachable: {getattr(exc, 'reason', exc)}") from exc


def publish(
    store_path: Path, endpoint: str, user: str | None = None, password: str | None = None, timeout: float = 60.0
) -> list[tuple[str, int]]:
    """Upload every named graph of the store to a Graph Store Protocol endpoint; return (graph, triples) pairs.

    Each graph is one ``PUT {endpoint}?graph=<iri>`` with an N-Triples body, which replaces
    the graph whole on the server. With ``user``, each PUT carries basic credentials, or digest
    ones when a ``HEAD`` on the endpoint is answered with a digest challenge (Virtuoso). A failure
    names the graph and the server's answer; graphs already sent stay replaced (each PUT is
    atomic on its own).
    """
    with open_store(store_path) as store:
        graphs = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
        bodies = {
            iri: bytes(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(iri)) or b"") for iri in graphs
        }
    if user is not None:
        with _publish_errors(endpoint):
            _check_credentials(endpoint, user, password or "", timeout)
    sent = []
    for iri in graphs:
        url = f"{endpoint}{'&' if '?' in endpoint else '?'}graph={urllib.parse.quote(iri, safe='')}"
        request = urllib.request.Request(
            url, data=bodies[iri], method="PUT", headers={"Content-Type": "application/n-triples"}
        )
        with _publish_errors(endpoint, iri):
            if user is not None:
                challenge = _challenge(endpoint, timeout)
                request.add_header("Authorization", _authorization(request, user, password or "", challenge))
            with urllib.request.urlopen(request, timeout=timeout) as response:
                response.read()
        sent.append((iri, bodies[iri].count(b"\n")))
    return sent
