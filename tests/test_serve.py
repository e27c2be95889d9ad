"""`kg serve` as a user runs it: a subprocess on a free port of 127.0.0.1, asked over HTTP.

It answers from the store as it is now (after an ingest, a withdraw and a build in between),
holds the version it serves, stops with its engine on SIGTERM or SIGINT leaving the port free,
answers with CORS headers when asked to, declares the project's prefixes, serves an offline query
page, and serves each entity's IRI path as Turtle, JSON-LD or HTML.
"""

from __future__ import annotations

import json
import os
import re
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
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from kg.build import build
from kg.cli import EXIT_OK, main
from kg.server import free_port
from kg.store import is_leased

HELDOUT = Path(__file__).parent / "fixtures" / "heldout" / "sample_2023_06.txt"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PIPL = "https://w3id.org/datalaw-kg/id/law/pipl"


@dataclass
class Serving:
    """A `kg serve` subprocess and where it listens."""

    process: subprocess.Popen[str]
    url: str
    port: int

    def get(self, path: str, accept: str | None = None) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(self.url + path, headers={"Accept": accept} if accept else {})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, dict(answer.headers.items()), answer.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers.items()), exc.read()

    def ask(self, sparql: str) -> dict:
        body = urllib.parse.urlencode({"query": sparql}).encode()
        request = urllib.request.Request(
            self.url + "/query", data=body, headers={"Accept": "application/sparql-results+json"}
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read())

    def graphs(self) -> set[str]:
        answer = self.ask("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return {row["g"]["value"].rsplit("/", 1)[-1] for row in answer["results"]["bindings"]}

    def engines(self) -> list[int]:
        """The pids of the engine processes `kg serve` started."""
        children = []
        for task in Path(f"/proc/{self.process.pid}/task").glob("*"):
            with_children = task / "children"
            if with_children.is_file():
                children += [int(pid) for pid in with_children.read_text().split()]
        return children

    def stop(self, how: int = signal.SIGTERM) -> int:
        if self.process.poll() is None:
            self.process.send_signal(how)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def start_serving(store: Path, *extra: str) -> Serving:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", str(port), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if "serving" not in line:
        process.kill()
        raise AssertionError(f"kg serve did not start: {line} {process.stderr.read() if process.stderr else ''}")
    return Serving(process, f"http://127.0.0.1:{port}", port)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("serve") / "build"
    build(out_dir=out)
    return out


@pytest.fixture
def serving(built: Path) -> Iterator[Serving]:
    running = start_serving(built / "store", "--cors", "https://notebook.example")
    try:
        yield running
    finally:
        running.stop()


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def test_the_next_request_sees_every_ingest_withdraw_and_build(tmp_path: Path) -> None:
    out = tmp_path / "build"
    build(out_dir=out)
    store = out / "store"
    running = start_serving(store)
    try:
        before = running.graphs()
        assert "000-8874ccff001c940d" in before
        served = store.resolve()
        assert is_leased(served), "the served version is leased"

        assert main(["withdraw", "000_8874ccff001c940d.txt", "--store", str(store)]) == EXIT_OK
        assert running.graphs() == before - {"000-8874ccff001c940d"}

        assert main(["ingest", str(HELDOUT), "--store", str(store)]) == EXIT_OK
        assert "sample-2023-06" in running.graphs()

        build(out_dir=out)  # a new version, which keeps the withdrawal and the ingest (the journal)
        assert store.resolve() != served
        assert running.graphs() == before - {"000-8874ccff001c940d"} | {"sample-2023-06"}
        assert is_leased(store.resolve())
        deadline = time.monotonic() + 10
        while is_leased(served) and time.monotonic() < deadline:  # released: the next write may prune it
            time.sleep(0.1)
        assert not is_leased(served)
    finally:
        assert running.stop() == 0


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_kg_serve_and_its_engine_and_frees_the_port(how: int, built: Path) -> None:
    running = start_serving(built / "store")
    engines = running.engines()
    assert engines and running.ask("ASK { ?s ?p ?o }")["boolean"] is True
    assert not _port_is_free(running.port)
    assert running.stop(how) == 0
    assert _port_is_free(running.port)
    for pid in engines:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
    assert not is_leased((built / "store").resolve())


def test_an_engine_that_dies_is_started_again(serving: Serving) -> None:
    (engine,) = serving.engines()
    os.kill(engine, signal.SIGKILL)
    assert serving.ask("ASK { ?s ?p ?o }")["boolean"] is True
    assert serving.engines() and serving.engines() != [engine]


def test_cors_answers_carry_the_origin(serving: Serving) -> None:
    status, headers, _ = serving.get("/query?" + urllib.parse.urlencode({"query": "ASK {}"}))
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "https://notebook.example"
    preflight = urllib.request.Request(serving.url + "/query", method="OPTIONS")
    with urllib.request.urlopen(preflight, timeout=10) as answer:
        assert answer.status == 204 and "POST" in answer.headers["Access-Control-Allow-Methods"]
        assert answer.headers["Access-Control-Allow-Origin"] == "https://notebook.example"


def test_the_endpoint_knows_the_project_prefixes(serving: Serving) -> None:
    # The README's tour query, without PREFIX lines, by POST and by GET.
    tour = 'SELECT ?zh WHERE { law:pipl skos:prefLabel ?zh FILTER(lang(?zh)="zh") }'
    assert serving.ask(tour)["results"]["bindings"][0]["zh"]["value"] == "个人信息保护法"
    status, _, body = serving.get("/query?" + urllib.parse.urlencode({"query": tour}), "text/csv")
    assert status == 200 and "个人信息保护法" in body.decode()
    status, _, body = serving.get("/query?" + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s nope:x ?o }"}))
    assert status == 400


def test_named_queries_over_http(serving: Serving) -> None:
    status, _, body = serving.get("/api/queries")
    assert status == 200 and "cases-citing-law" in {q["name"] for q in json.loads(body)}
    status, _, body = serving.get("/api/queries/cases-citing-law?law=PIPL")
    rows = json.loads(body)["results"]["bindings"]
    assert status == 200 and rows and "_law_iri" not in json.loads(body)["head"]["vars"]
    status, _, body = serving.get("/api/queries/cases-citing-law?law=Nowhere")
    assert status == 400 and b"no law named" in body


def test_an_entity_iri_path_negotiates_turtle_json_ld_and_html(serving: Serving) -> None:
    status, headers, body = serving.get("/id/law/pipl", "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    turtle = Graph().parse(data=body.decode(), format="turtle")
    assert (URIRef(PIPL), SKOS.prefLabel, None) in turtle
    status, headers, body = serving.get("/id/law/pipl", "application/ld+json")
    assert status == 200 and headers["Content-Type"].startswith("application/ld+json")
    assert set(Graph().parse(data=body.decode(), format="json-ld")) == set(turtle)
    status, headers, body = serving.get("/id/law/pipl", "text/html,application/xhtml+xml,*/*;q=0.8")
    page = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "Personal Information Protection Law" in page and "个人信息保护法" in page
    assert 'href="/id/instrument/' in page  # linked entities are one click away
    assert re.search(r'href="https?://(www\.)?npc\.gov\.cn', page)  # its sources
    assert serving.get("/id/law/no-such-law")[0] == 404
    assert serving.get("/id/law/pipl", "image/png")[0] == 406


def test_the_query_page_is_our_own_and_offline(serving: Serving, tmp_path: Path) -> None:
    status, _, body = serving.get("/")
    page = body.decode()
    assert status == 200
    assert "PREFIX law: &lt;https://w3id.org/datalaw-kg/id/law/&gt;" in page
    assert '"name": "cases-citing-law"' in page
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", page), "nothing is loaded from elsewhere"
    assert not re.search(r"@import|url\(|prefix\.cc", page)
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    netlog = tmp_path / "net.json"
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        f"--log-net-log={netlog}",
        # Nothing may leave the machine, Chromium's own background calls included: every other
        # host resolves to nothing, and goes to a proxy that is not there.
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        "--proxy-server=127.0.0.1:9",
        "--proxy-bypass-list=127.0.0.1",
        "--virtual-time-budget=3000",
        "--enable-logging=stderr",
        "--v=0",
    ]
    dom = subprocess.run(
        [CHROMIUM, *flags, "--dump-dom", serving.url + "/"], capture_output=True, text=True, timeout=120
    )
    assert dom.stdout.count("<button title=") >= 18, "the named queries are listed, one button each"
    assert not [line for line in dom.stderr.splitlines() if "Uncaught" in line or "CONSOLE" in line]
    if netlog.is_file():
        urls = set(re.findall(r'"url":"([^"]+)"', netlog.read_text(encoding="utf-8", errors="replace")))
        # Chromium's own calls home (updates, accounts, autofill) are the browser's, not the page's.
        browser = re.compile(r"^https?://(?!fonts\.)[a-z0-9.-]*(google\.com|googleapis\.com)/")
        outside = {
            u for u in urls if not u.startswith((serving.url, "data:", "chrome:", "about:")) and not browser.match(u)
        }
        assert not outside, f"requests left the machine: {sorted(outside)[:5]}"
    shot = tmp_path / "query-page.png"
    subprocess.run(
        [CHROMIUM, *flags, "--window-size=1300,900", f"--screenshot={shot}", serving.url + "/"],
        capture_output=True,
        timeout=120,
    )
    assert shot.stat().st_size > 10_000
    if os.environ.get("KG_SCREENSHOTS"):
        shutil.copy(shot, Path(os.environ["KG_SCREENSHOTS"]) / "query-page.png")
