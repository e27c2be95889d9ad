"""Every .rq file stands alone: it parses with rdflib and with Apache Jena's qparse as it is, and
grlc would read the same parameters from it that kg does and still have SPARQL once it wrote
values in. Also: the endpoint, the page and the CLI share one prefix table.

Jena comes from Debian's ``libapache-jena-java`` (``.ci/run`` installs it). Debian's Jena 4.5
moved the bundled Xerces classes to ``xerces.*`` but left their message resources under
``org/apache/jena/ext/xerces``, so ``qparse`` dies at start-up ("internal error" in
XSSimpleTypeDecl); the fixture below copies those resources to where the classes look for them.
The tests using Jena are skipped where it or Java is missing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery

from kg.queries import ENTITY_TYPES, library
from kg.resources import resource_dir

QUERY_FILES = sorted(resource_dir("queries").glob("*.rq"))
JAVA_DIR = Path("/usr/share/java")
JENA_JARS = ["jena-arq", "jena-base", "jena-cmds", "jena-core", "jena-iri"]
DEPENDENCY_JARS = [
    "commons-cli",
    "commons-codec",
    "commons-compress",
    "commons-csv",
    "commons-io",
    "commons-lang3",
    "dexx.collection",
    "gson",
    "guava",
    "slf4j-api",
    "slf4j-nop",
    "httpclient",
    "httpcore",
    "jackson-core",
    "jackson-databind",
    "jsonld-java",
    "thrift",
    "protobuf",
    "titanium-json-ld",
    "jakarta.json-api",
]


#: Parses each file named on the command line with Jena's QueryFactory (what qparse does), in one JVM.
PARSE_ALL = """
import org.apache.jena.query.QueryFactory;
public class ParseAll {
    public static void main(String[] args) {
        int failed = 0;
        for (String file : args) {
            try { QueryFactory.read(file); System.out.println("ok " + file); }
            catch (Exception e) { failed++; System.out.println("FAIL " + file + " " + e.getMessage().replace('\\n', ' ')); }
        }
        System.exit(failed == 0 ? 0 : 1);
    }
}
"""

Parser = Callable[[list[Path]], dict[Path, str]]


@pytest.fixture(scope="session")
def qparse(tmp_path_factory: pytest.TempPathFactory) -> Parser:
    """Parse query files with Jena: ``arq.qparse`` per file, or all in one JVM where ``javac`` is at hand.

    Returns, per file, "ok" or Jena's message.
    """
    java = shutil.which("java")
    jars = [JAVA_DIR / f"{name}.jar" for name in [*JENA_JARS, *DEPENDENCY_JARS]]
    if java is None or not all(jar.is_file() for jar in jars):
        pytest.skip("Apache Jena is not installed (Debian: apt-get install libapache-jena-java)")
    folder = tmp_path_factory.mktemp("jena")
    with zipfile.ZipFile(JAVA_DIR / "jena-core.jar") as core:
        for name in core.namelist():
            if name.startswith("org/apache/jena/ext/xerces/") and not name.endswith((".class", "/")):
                target = folder / "xerces" / name.removeprefix("org/apache/jena/ext/xerces/")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(core.read(name))
    classpath = ":".join([str(folder), *map(str, jars)])
    javac = shutil.which("javac")
    if javac is not None:
        (folder / "ParseAll.java").write_text(PARSE_ALL, encoding="utf-8")
        subprocess.run(
            [javac, "-cp", classpath, "-d", str(folder), str(folder / "ParseAll.java")], check=True, timeout=120
        )

    def one(path: Path) -> str:
        answer = subprocess.run(
            [java, "-cp", classpath, "arq.qparse", "--query", str(path)], capture_output=True, text=True, timeout=120
        )
        return "ok" if answer.returncode == 0 else (answer.stdout + answer.stderr).strip()

    def run(paths: list[Path]) -> dict[Path, str]:
        if javac is None:
            return {path: one(path) for path in paths}
        answer = subprocess.run(
            [java, "-cp", classpath, "ParseAll", *map(str, paths)], capture_output=True, text=True, timeout=300
        )
        said = {line.split(" ", 2)[1]: line for line in answer.stdout.splitlines() if line.startswith(("ok ", "FAIL "))}
        return {
            path: "ok" if said.get(str(path), "").startswith("ok ") else said.get(str(path), answer.stderr)
            for path in paths
        }

    return run


def test_jena_parses_every_query_file(qparse: Parser) -> None:
    answers = qparse(QUERY_FILES)
    assert {path.name: said for path, said in answers.items() if said != "ok"} == {}


def test_jena_rejects_what_is_not_sparql(tmp_path: Path, qparse: Parser) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?s WHERE { ?s kg:law/pipl ?o }", encoding="utf-8")  # the old README's tour query
    assert "Unresolved prefixed name" in qparse([bad])[bad]


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_rdflib_parses_every_query_file_alone(path: Path) -> None:
    prepareQuery(path.read_text(encoding="utf-8"))  # no initNs: the file declares its prefixes


#: grlc's (and BASIL's) reading of a variable name as a parameter (grlc/src/gquery.py, get_parameters).
GRLC_VARIABLE = re.compile(
    r"(?P<required>[_]{1,2})(?P<name>[^_]+)_?(?P<type>[a-zA-Z0-9]+)?_?(?P<userdefined>[a-zA-Z0-9]+)?.*$"
)


def _grlc_parameters(text: str) -> dict[str, tuple[bool, str | None]]:
    """The parameters grlc finds in a query: name → (required, type suffix), from the algebra's variables."""
    variables = translateQuery(parseQuery(text)).algebra["_vars"]
    found = {}
    for variable in map(str, variables):
        if re.match(r"__agg_\d+__", variable):
            continue
        match = GRLC_VARIABLE.match(variable)
        if match:
            found[match.group("name")] = (match.group("required") == "_", match.group("type"))
    return found


@pytest.mark.parametrize("name", sorted(library()))
def test_grlc_reads_the_parameters_kg_reads(name: str) -> None:
    query = library()[name]
    text = query.path.read_text(encoding="utf-8")
    expected = {}
    for param in query.params.values():
        suffix = "iri" if param.type in ENTITY_TYPES or param.type == "iri" else None
        suffix = suffix or (None if param.type == "string" else param.type)
        expected[param.name] = (param.required, suffix)
    assert _grlc_parameters(text) == expected


@pytest.mark.parametrize("name", sorted(library()))
def test_grlc_s_text_rewrite_leaves_sparql(name: str) -> None:
    # grlc replaces "?_law_iri" by "<value>" (and "?_year_integer" by '"2022"^^xsd:integer'), as text.
    query = library()[name]
    text = query.path.read_text(encoding="utf-8")
    for param in query.params.values():
        value = '"2022"^^xsd:integer' if param.type == "integer" else '"x"'
        if param.type in ENTITY_TYPES or param.type == "iri":
            value = "<https://w3id.org/datalaw-kg/id/law/pipl>"
        elif param.type == "date":
            value = '"2022-01-01"^^xsd:date'
        text = text.replace(f"?{param.variable}", value)
    if "xsd:" in text and "PREFIX xsd:" not in text:
        text = "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n" + text
    prepareQuery(text)


def test_one_prefix_table_for_cli_page_and_endpoint() -> None:
    from kg import namespaces, query, web

    assert web.prefix_table is namespaces.all_prefixes
    assert query.all_prefixes is namespaces.all_prefixes
