"""The SHACL shapes as SPARQL queries on Oxigraph: each constraint checked over the whole graph at once.

A SHACL engine walks the focus nodes one by one. Here the constraints of each shape become
SPARQL ``SELECT`` queries that find every focus node (and value node) breaking them, joined with
the shape's targets, so Oxigraph checks the whole graph in one pass per query, in Rust, on its
own indexes and without copying the data anywhere (PERFORMANCE.md, trap 6). The same goes for
the shapes' SHACL-SPARQL constraints (``sh:sparql``): SHACL pre-binds ``$this`` to each focus
node; joining the query with the shape's targets gives the same results in one query.

Each row becomes a SHACL validation result as pySHACL and pyshacl-turbo write it (focus node,
path, value, source shape, constraint component, severity, message), so the rest of
:mod:`kg.validate` cannot tell the engines apart; ``tests/test_shapes.py`` runs every shape case
through all three and requires the same report.

The compiler knows the constraint components the project's shapes use (and a few neighbours):
targets by class, subjects or objects of a property, or node; ``sh:class``, ``sh:datatype``,
``sh:nodeKind``, ``sh:in``, ``sh:hasValue``, ``sh:pattern``, ``sh:languageIn``,
``sh:uniqueLang``, value ranges, string lengths, ``sh:minCount``/``sh:maxCount``,
qualified value shapes and ``sh:or``, on any SHACL path. A shape with anything else is listed in
:attr:`Compiled.unsupported`, and :mod:`kg.validate` checks that shape with a SHACL engine instead.

Example:
    >>> from rdflib import Graph
    >>> shapes = Graph().parse(data='''
    ...     @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
    ...     ex:S a sh:NodeShape ; sh:targetClass ex:Thing ;
    ...         sh:property [ sh:path ex:name ; sh:minCount 1 ] .''', format="turtle")
    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("http://example.org/a"), ox.NamedNode(str(RDF.type)),
    ...                   ox.NamedNode("http://example.org/Thing")))
    >>> report = Graph()
    >>> run_checks(store, compile_shapes(shapes).checks, report)
    1
    >>> [str(node) for node in report.objects(None, SH.focusNode)]
    ['http://example.org/a']

"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

_TYPE = f"<{RDF.type}>/<{RDFS.subClassOf}>*"

#: Datatypes whose lexical forms Oxigraph can check with a cast (an ill-formed literal does not cast).
_CASTABLE = {
    XSD[name]
    for name in (
        "boolean",
        "integer",
        "decimal",
        "float",
        "double",
        "date",
        "dateTime",
        "time",
        "gYear",
        "gYearMonth",
        "gMonth",
        "gMonthDay",
        "gDay",
        "duration",
        "yearMonthDuration",
        "dayTimeDuration",
    )
}
_NODE_KINDS: dict[Node, str] = {
    SH.IRI: "isIRI({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNode: "isBlank({v})",
    SH.BlankNodeOrIRI: "!isLiteral({v})",
    SH.BlankNodeOrLiteral: "!isIRI({v})",
    SH.IRIOrLiteral: "!isBlank({v})",
}
#: The columns saying which node shapes hold a row's focus node (a property shape they share).
_HELD = "_held"
#: Property-shape constraints on a focus node's values taken together, rather than on each value.
_PER_FOCUS = {SH.minCount, SH.maxCount, SH.hasValue, SH.uniqueLang, SH.qualifiedValueShape}
_RANGES: dict[Node, str] = {SH.minInclusive: ">=", SH.minExclusive: ">", SH.maxInclusive: "<=", SH.maxExclusive: "<"}
#: Shape properties that are not constraints (they name, describe or tune the shape).
_NOT_CONSTRAINTS = {
    RDF.type,
    SH.targetClass,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.targetNode,
    SH.property,
    SH.sparql,
    SH.path,
    SH.message,
    SH.severity,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.deactivated,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
    SH.flags,
    SH.declare,
    SH.prefixes,
    RDFS.label,
    RDFS.comment,
}


class Unsupported(Exception):
    """A shape uses a SHACL feature this compiler does not translate."""


def _true(cell: object) -> bool:
    return isinstance(cell, ox.Literal) and cell.value == "true"


@dataclass(frozen=True)
class Rule:
    """When a row of a check's query is a result of one constraint component.

    With no column, every row is. Otherwise the row's cell in ``column`` says: ``true`` (the
    value node breaks the constraint), or a count to compare with ``limit``.
    """

    component: URIRef
    column: int | None = None
    operator: str = "true"
    limit: int = 0

    def fires(self, row: tuple[object, ...]) -> bool:
        """True when ``row`` is a result of this rule's component."""
        if self.column is None:
            return True
        cell = row[self.column]
        if self.operator == "true":
            return _true(cell)
        if not isinstance(cell, ox.Literal):
            return False
        count = int(cell.value)
        return count < self.limit if self.operator == "<" else count > self.limit


@dataclass(frozen=True)
class Check:
    """One query finding the focus nodes (and value nodes) of one shape that break its constraints.

    The query selects ``?this`` first, then ``?value`` when ``has_value``; its ``rules`` say
    which constraint component each row breaks. Further variables fill the ``{?name}``
    placeholders of the message (SHACL-SPARQL constraints).
    """

    shape: Node
    path: Node | None
    query: str
    messages: tuple[Literal, ...]
    severity: Node
    rules: tuple[Rule, ...]
    has_value: bool
    constraint: Node | None = None


@dataclass(frozen=True)
class Compiled:
    """The checks of a shapes graph, and the shapes with targets it could not translate."""

    checks: tuple[Check, ...]
    unsupported: tuple[Node, ...] = ()
    reasons: dict[Node, str] = field(default_factory=dict)


def _component(parameter: Node) -> URIRef:
    """The constraint component a parameter belongs to: sh:minCount -> sh:MinCountConstraintComponent."""
    name = str(parameter).removeprefix(str(SH))
    return URIRef(f"{SH}{name[0].upper()}{name[1:]}ConstraintComponent")


def _int(term: Node) -> int:
    return int(str(term))


def _n3(term: Node) -> str:
    if isinstance(term, BNode):
        raise Unsupported("a blank node as a constraint value")
    return term.n3()


def _string(text: str) -> str:
    return Literal(text).n3()


def _list(shapes: Graph, head: Node) -> list[Node]:
    return list(Collection(shapes, head))


class _Compiler:
    """Translates one shapes graph; fresh variable names come from one counter."""

    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        self.counter = itertools.count()

    def fresh(self) -> str:
        return f"?_v{next(self.counter)}"

    # Paths ---------------------------------------------------------------------------------

    def pattern(self, path: Node, subject: str, obj: str) -> str:
        """A graph pattern joining ``subject`` to ``obj`` along a SHACL path.

        Sequences and alternatives become joins and UNIONs of triple patterns rather than a
        SPARQL property path: Oxigraph plans those like any join, while an alternative path
        under ``FILTER NOT EXISTS`` took minutes at a million triples.
        """
        shapes = self.shapes
        if isinstance(path, URIRef):
            return f"{subject} {_n3(path)} {obj} ."
        if (path, RDF.first, None) in shapes:
            steps = _list(shapes, path)
            names = [subject] + [self.fresh() for _ in steps[1:]] + [obj]
            return " ".join(self.pattern(step, names[i], names[i + 1]) for i, step in enumerate(steps))
        inverse = shapes.value(path, SH.inversePath)
        if inverse is not None:
            return self.pattern(inverse, obj, subject)
        alternatives = shapes.value(path, SH.alternativePath)
        if alternatives is not None:
            return " UNION ".join(f"{{ {self.pattern(step, subject, obj)} }}" for step in _list(shapes, alternatives))
        for predicate, operator in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
            inner = shapes.value(path, predicate)
            if inner is not None:
                return f"{subject} ({self.property_path(inner)}){operator} {obj} ."
        raise Unsupported(f"the path {path}")

    def reaching(self, path: Node, subject: str) -> str:
        """A pattern binding ``subject`` to the nodes with at least one value along ``path``.

        A sequence is walked from its end: the nodes that have the rest of the path are found
        once, then the first step joins them. On the on-disk store that is three times faster
        than following each node's path forward (a seek per step and node).
        """
        shapes = self.shapes
        if (path, RDF.first, None) in shapes:
            return self._reaching_sequence(_list(shapes, path), subject)
        alternatives = shapes.value(path, SH.alternativePath) if isinstance(path, BNode) else None
        if alternatives is not None:
            return " UNION ".join(f"{{ {self.reaching(step, subject)} }}" for step in _list(shapes, alternatives))
        return self.pattern(path, subject, self.fresh())

    def _reaching_sequence(self, steps: list[Node], subject: str) -> str:
        first, *rest = steps
        if not rest:
            return self.reaching(first, subject)
        middle = self.fresh()
        tail = f"{{ SELECT DISTINCT {middle} WHERE {{ {self._reaching_sequence(rest, middle)} }} }}"
        return f"{tail} {self.pattern(first, subject, middle)}"

    def property_path(self, path: Node) -> str:
        """A SHACL path as a SPARQL property path (only needed under ``*``, ``+`` and ``?``)."""
        shapes = self.shapes
        if isinstance(path, URIRef):
            return _n3(path)
        if (path, RDF.first, None) in shapes:
            return "(" + "/".join(self.property_path(step) for step in _list(shapes, path)) + ")"
        inverse = shapes.value(path, SH.inversePath)
        if inverse is not None:
            return f"^({self.property_path(inverse)})"
        alternatives = shapes.value(path, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self.property_path(step) for step in _list(shapes, alternatives)) + ")"
        for predicate, operator in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
            inner = shapes.value(path, predicate)
            if inner is not None:
                return f"({self.property_path(inner)}){operator}"
        raise Unsupported(f"the path {path}")

    # Targets -------------------------------------------------------------------------------

    def focus(self, shape: Node) -> str | None:
        """A pattern binding ``?this`` to every focus node of ``shape``, or None when it has no target."""
        shapes = self.shapes
        parts = [f"{{ ?this {_TYPE} {_n3(c)} }}" for c in sorted(shapes.objects(shape, SH.targetClass), key=str)]
        if (shape, RDF.type, RDFS.Class) in shapes:  # an implicit class target
            parts.append(f"{{ ?this {_TYPE} {_n3(shape)} }}")
        parts += [f"{{ ?this {_n3(p)} [] }}" for p in sorted(shapes.objects(shape, SH.targetSubjectsOf), key=str)]
        parts += [f"{{ [] {_n3(p)} ?this }}" for p in sorted(shapes.objects(shape, SH.targetObjectsOf), key=str)]
        nodes = sorted(shapes.objects(shape, SH.targetNode), key=str)
        if nodes:
            parts.append("{ VALUES ?this { " + " ".join(_n3(n) for n in nodes) + " } }")
        return " UNION ".join(parts) if parts else None

    def instances(self, shape: Node, var: str) -> str | None:
        """A pattern binding ``var`` to every node that conforms to ``shape``, or None when it takes a filter.

        A shape that is one ``sh:class``, one ``sh:hasValue`` or ``sh:minCount 1`` on a path,
        or an ``sh:or`` of such shapes, is a pattern: the nodes breaking it are then found with
        MINUS, which Oxigraph answers with one pass over the instances (at a million triples 30 ms
        where a NOT EXISTS per value node took 340 ms).
        """
        shapes = self.shapes
        constraints = [(p, o) for p, o in shapes.predicate_objects(shape) if p not in _NOT_CONSTRAINTS]
        if len(constraints) != 1:
            return None
        ((predicate, value),) = constraints
        path = shapes.value(shape, SH.path)
        if path is None:
            return self.instances_of(predicate, value, var)
        if predicate == SH.hasValue:
            return self.pattern(path, var, _n3(value))
        if path is not None and predicate == SH.minCount and _int(value) == 1:
            return self.pattern(path, var, self.fresh())
        return None

    def instances_of(self, predicate: Node, value: Node, var: str) -> str | None:
        """The pattern of the nodes conforming to one ``sh:class`` or ``sh:or`` (see :meth:`instances`)."""
        if predicate == SH["class"]:
            return f"{var} {_TYPE} {_n3(value)} ."
        if predicate == SH["or"]:
            alternatives = [self.instances(member, var) for member in _list(self.shapes, value)]
            if not alternatives or any(a is None for a in alternatives):
                return None
            return " UNION ".join(f"{{ {a} }}" for a in alternatives)
        return None

    # Conditions on one value node ------------------------------------------------------------

    def violation(self, predicate: Node, value: Node, var: str) -> str | None:
        """A SPARQL expression true when the value node ``var`` breaks one per-value constraint.

        None when ``predicate`` is not a per-value constraint.
        """
        shapes = self.shapes
        if predicate == SH["class"]:
            return f"NOT EXISTS {{ {var} {_TYPE} {_n3(value)} }}"
        if predicate == SH.datatype:
            if value == RDF.langString:
                return f"!(isLiteral({var}) && lang({var}) != '')"
            well_formed = f" && COALESCE(isLiteral(<{value}>(STR({var}))), false)" if value in _CASTABLE else ""
            return f"!(isLiteral({var}) && datatype({var}) = {_n3(value)}{well_formed})"
        if predicate == SH.nodeKind:
            if value not in _NODE_KINDS:
                raise Unsupported(f"sh:nodeKind {value}")
            return "!" + _NODE_KINDS[value].format(v=var)
        if predicate == SH["in"]:
            members = _list(shapes, value)
            return "!(" + (" || ".join(f"sameTerm({var}, {_n3(m)})" for m in members) or "false") + ")"
        if predicate == SH.pattern:
            return None  # it needs its shape's sh:flags: see pattern_violation
        if predicate == SH.languageIn:
            tags = " || ".join(f"langMatches(lang({var}), {_string(str(t))})" for t in _list(shapes, value))
            return f"!(isLiteral({var}) && ({tags or 'false'}))"
        if predicate in _RANGES:
            return f"!COALESCE({var} {_RANGES[predicate]} {_n3(value)}, false)"
        if predicate == SH.minLength:
            return f"(isBlank({var}) || !COALESCE(STRLEN(STR({var})) >= {_int(value)}, false))"
        if predicate == SH.maxLength:
            return f"(isBlank({var}) || !COALESCE(STRLEN(STR({var})) <= {_int(value)}, false))"
        if predicate == SH["or"]:
            return "!(" + (" || ".join(self.conforms(s, var) for s in _list(shapes, value)) or "false") + ")"
        return None

    def pattern_violation(self, shape: Node, var: str) -> str:
        pattern = self.shapes.value(shape, SH.pattern)
        flags = self.shapes.value(shape, SH.flags)
        arguments = f"STR({var}), {_string(str(pattern))}" + (f", {_string(str(flags))}" if flags else "")
        return f"(isBlank({var}) || !REGEX({arguments}))"

    def conforms(self, shape: Node, var: str) -> str:
        """A SPARQL expression true when the node ``var`` conforms to ``shape`` (used in sh:or, qualified shapes)."""
        shapes = self.shapes
        tests = []
        path = shapes.value(shape, SH.path)
        for predicate, value in sorted(shapes.predicate_objects(shape)):
            if predicate in _NOT_CONSTRAINTS:
                continue
            if path is None:
                if predicate == SH.pattern:
                    tests.append("!" + self.pattern_violation(shape, var))
                    continue
                if predicate == SH.hasValue:
                    tests.append(f"sameTerm({var}, {_n3(value)})")
                    continue
                broken = self.violation(predicate, value, var)
                if broken is None:
                    raise Unsupported(f"{predicate} in a nested shape")
                tests.append(f"!{broken}")
                continue
            other = self.fresh()
            if predicate == SH.minCount and _int(value) <= 1:
                tests.append(f"EXISTS {{ {self.pattern(path, var, other)} }}" if _int(value) == 1 else "true")
            elif predicate == SH.maxCount and _int(value) == 0:
                tests.append(f"NOT EXISTS {{ {self.pattern(path, var, other)} }}")
            elif predicate == SH.hasValue:
                tests.append(f"EXISTS {{ {self.pattern(path, var, _n3(value))} }}")
            else:
                broken = None if predicate == SH.pattern else self.violation(predicate, value, other)
                if broken is None:
                    raise Unsupported(f"{predicate} in a nested property shape")
                tests.append(f"NOT EXISTS {{ {self.pattern(path, var, other)} FILTER ({broken}) }}")
        return "(" + (" && ".join(tests) or "true") + ")"

    # Checks ---------------------------------------------------------------------------------

    def shape_checks(self, shape: Node, focuses: list[str]) -> Iterator[Check]:
        """The checks of one shape (node or property shape) over the focus nodes the patterns ``focuses`` bind.

        A property shape shared by several node shapes is checked once over all their focus
        nodes; a column per node shape then says which of them hold the row's focus node, and
        the row is a result once for each (as in pySHACL, where each node shape checks it).

        The tests on each value node (datatype, node kind, list of values, pattern, languages,
        ranges, lengths) share one query, a column per constraint saying which it breaks. Class
        checks (``sh:class``, an ``sh:or`` of classes or of paths) are each a MINUS, and each
        count its own query over a scan of the values.
        """
        shapes = self.shapes
        if shapes.value(shape, SH.deactivated) == Literal(True):
            return
        path = shapes.value(shape, SH.path)
        messages = tuple(sorted(m for m in shapes.objects(shape, SH.message) if isinstance(m, Literal)))
        severity = shapes.value(shape, SH.severity) or SH.Violation

        shared = len(focuses) > 1
        focus = " UNION ".join(f"{{ {f} }}" for f in focuses) if shared else focuses[0]
        # With several node shapes, ?_held0, ?_held1… say which of them hold the focus node.
        members = " ".join(f"BIND (EXISTS {{ {f} }} AS ?{_HELD}{i})" for i, f in enumerate(focuses)) if shared else ""
        member_columns = " ".join(f"?{_HELD}{i}" for i in range(len(focuses))) if shared else ""

        def check(query: str, rules: list[Rule], has_value: bool) -> Check:
            return Check(shape, path, query, messages, severity, tuple(rules), has_value)

        rows = _focus_rows(focus)

        def scanned(select: str, inner: str, group: str = "") -> str:
            # The values are scanned first, in the inner query, and only the rows that break the
            # constraint are then checked for being focus nodes: at a million triples two to ten
            # times faster than starting from the focus nodes and looking their values up.
            if shared:
                outer = f"{select} {member_columns}"
                return f"SELECT {outer} WHERE {{ {{ SELECT {select} WHERE {{ {inner} }} {group} }} {members} FILTER ({member_columns.replace(' ', ' || ')}) }}"
            return f"SELECT {select} WHERE {{ {{ SELECT {select} WHERE {{ {inner} }} {group} }} FILTER EXISTS {{ {focus} }} }}"

        def minus(select: str, removed: str) -> str:
            # The focus nodes MINUS those that have what is asked: Oxigraph finds those of the whole
            # graph once, where FILTER NOT EXISTS looked them up again for each node (12 s instead
            # of 0.1 s at 100k triples for the provenance path).
            return f"SELECT {select} {member_columns} WHERE {{ {rows} MINUS {{ {removed} }} {members} }}"

        per_value: list[tuple[URIRef, str]] = []  # (component, "the value node breaks it")
        counts: list[tuple[URIRef, Node | None, str, int]] = []  # (component, qualified shape, operator, limit)
        values = "BIND (?this AS ?value)" if path is None else self.pattern(path, "?this", "?value")
        for predicate, value in sorted(shapes.predicate_objects(shape)):
            if predicate in _NOT_CONSTRAINTS:
                continue
            component = _component(predicate)
            if predicate in (SH["class"], SH["or"]):
                conforming = self.instances_of(predicate, value, "?this" if path is None else "?value")
                if conforming is not None:
                    if path is None:
                        query = minus("?this (?this AS ?value)", conforming)
                    else:
                        query = scanned("DISTINCT ?this ?value", f"{values} MINUS {{ {conforming} }}")
                    yield check(query, [Rule(component)], True)
                    continue
            if predicate == SH.pattern:
                per_value.append((component, self.pattern_violation(shape, "?value")))
            elif path is None and predicate == SH.hasValue:
                per_value.append((component, f"!sameTerm(?value, {_n3(value)})"))
            elif path is None or predicate not in _PER_FOCUS:
                broken = self.violation(predicate, value, "?value")
                if broken is None:
                    raise Unsupported(f"{predicate} on {'a node' if path is None else 'a property'} shape")
                per_value.append((component, broken))
            elif predicate == SH.minCount:
                counts.append((component, None, "<", _int(value)))
            elif predicate == SH.maxCount:
                counts.append((component, None, ">", _int(value)))
            elif predicate == SH.hasValue:
                yield check(minus("?this", self.pattern(path, "?this", _n3(value))), [Rule(component)], False)
            elif predicate == SH.uniqueLang:
                if value == Literal(True):
                    group = "GROUP BY ?this (LCASE(LANG(?value)) AS ?lang) HAVING (COUNT(DISTINCT ?value) > 1)"
                    query = scanned("?this ?lang", f"{values} FILTER (LANG(?value) != '')", group)
                    yield check(query, [Rule(component)], False)
            elif predicate == SH.qualifiedValueShape:
                if shapes.value(shape, SH.qualifiedValueShapesDisjoint) == Literal(True):
                    raise Unsupported("sh:qualifiedValueShapesDisjoint")
                if len(list(shapes.objects(shape, SH.qualifiedValueShape))) > 1:
                    raise Unsupported("two qualified value shapes on one property shape")
                for bound, operator in ((SH.qualifiedMinCount, "<"), (SH.qualifiedMaxCount, ">")):
                    limit = shapes.value(shape, bound)
                    if limit is not None:
                        counts.append((_component(bound), value, operator, _int(limit)))
        if per_value:
            binds = " ".join(f"BIND ({test} AS ?k{i})" for i, (_, test) in enumerate(per_value))
            flags = " ".join(f"?k{i}" for i in range(len(per_value)))
            either = " || ".join(f"?k{i}" for i in range(len(per_value)))
            if path is None:
                query = f"SELECT ?this ?value {flags} {member_columns} WHERE {{ {rows} {values} {binds} FILTER ({either}) {members} }}"
            else:
                query = scanned(f"DISTINCT ?this ?value {flags}", f"{values} {binds} FILTER ({either})")
            yield check(query, [Rule(c, 2 + i, "true") for i, (c, _) in enumerate(per_value)], True)
        for component, qualified, operator, most in counts:
            # Only the values conforming to the qualified shape count, when there is one.
            counted = values if qualified is None else f"{values} FILTER ({self.conforms(qualified, '?value')})"
            if operator == "<" and most == 1:
                assert path is not None
                having = self.reaching(path, "?this") if qualified is None else counted
                query = minus("?this", having)
            elif operator == "<":
                few = f"{{ SELECT ?this WHERE {{ {rows} OPTIONAL {{ {counted} }} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {most}) }}"
                query = f"SELECT ?this {member_columns} WHERE {{ {few} {members} }}"
            else:
                query = scanned("?this", counted, f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {most})")
            yield check(query, [Rule(component)], False)

    def sparql_checks(self, shape: Node, focus: str) -> Iterator[Check]:
        """The shape's SHACL-SPARQL constraints, each joined with the shape's targets."""
        shapes = self.shapes
        for constraint in sorted(shapes.objects(shape, SH.sparql), key=str):
            if shapes.value(constraint, SH.deactivated) == Literal(True):
                continue
            select = str(shapes.value(constraint, SH.select)).replace("$this", "?this")
            if "$" in select:
                raise Unsupported("a SPARQL constraint with pre-bound variables other than $this")
            where = select.index("{", select.upper().index("WHERE"))
            query = (
                self.prologue(constraint) + select[: where + 1] + f"\n  {_focus_rows(focus)}\n" + select[where + 1 :]
            )
            messages = tuple(
                sorted(m for m in shapes.objects(constraint, SH.message) if isinstance(m, Literal))
            ) or tuple(sorted(m for m in shapes.objects(shape, SH.message) if isinstance(m, Literal)))
            severity = shapes.value(constraint, SH.severity) or shapes.value(shape, SH.severity) or SH.Violation
            yield Check(
                shape,
                None,
                query,
                messages or (Literal("does not conform"),),
                severity,
                (Rule(SH.SPARQLConstraintComponent),),
                True,
                constraint=constraint,
            )

    def prologue(self, constraint: Node) -> str:
        shapes = self.shapes
        prefixes = {
            str(shapes.value(declaration, SH.prefix)): str(shapes.value(declaration, SH.namespace))
            for source in shapes.objects(constraint, SH.prefixes)
            for declaration in shapes.objects(source, SH.declare)
        }
        prefixes.setdefault("rdf", str(RDF))
        prefixes.setdefault("rdfs", str(RDFS))
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes.items()))


def _focus_rows(focus: str) -> str:
    """A subquery of the focus nodes, one row each, whatever number of targets or types select them."""
    return f"{{ SELECT DISTINCT ?this WHERE {{ {focus} }} }}"


def compile_shapes(shapes: Graph) -> Compiled:
    """Every constraint of every targeted shape of ``shapes`` as a :class:`Check`.

    A targeted shape whose core constraints (or whose property shapes' constraints) use
    something this compiler does not translate has none of its core constraints compiled: it
    is listed in ``unsupported``, with the reason, for a SHACL engine to check. Its
    ``sh:sparql`` constraints are compiled all the same (no SHACL engine here runs them).
    A property shape shared by several node shapes is compiled once, over all their targets.
    """
    compiler = _Compiler(shapes)
    checks: list[Check] = []
    unsupported: dict[Node, str] = {}
    targets = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
    targeted = {s for p in targets for s in shapes.subjects(p, None)}
    targeted |= {s for s in shapes.subjects(RDF.type, RDFS.Class) if (s, RDF.type, SH.NodeShape) in shapes}
    focuses: dict[Node, list[str]] = {}  # property shape -> the focus patterns of the node shapes holding it
    for shape in sorted(targeted, key=str):
        focus = compiler.focus(shape)
        assert focus is not None
        members = sorted(shapes.objects(shape, SH.property), key=str)
        try:
            own = list(compiler.shape_checks(shape, [focus]))
            for member in members:
                list(compiler.shape_checks(member, [focus]))  # raises Unsupported before anything is kept
        except Unsupported as reason:
            unsupported[shape] = str(reason)
        else:
            checks += own
            for member in members:
                focuses.setdefault(member, []).append(focus)
        checks += compiler.sparql_checks(shape, focus)
    for member, patterns in sorted(focuses.items(), key=lambda pair: str(pair[0])):
        checks += compiler.shape_checks(member, patterns)
    return Compiled(tuple(checks), tuple(unsupported), unsupported)


def to_rdflib(term: object) -> URIRef | Literal | BNode:
    """An Oxigraph term as the rdflib term it names."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if not isinstance(term, ox.Literal):  # a quoted triple (RDF 1.2) in a file given to validate
        return Literal(str(term))
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _copy_path(shapes: Graph, path: Node, report: Graph) -> None:
    # A complex path is a structure of blank nodes in the shapes graph; the report carries a copy,
    # as pySHACL's does, so it can be read without the shapes.
    if not isinstance(path, BNode) or (path, None, None) in report:
        return
    for predicate, obj in shapes.predicate_objects(path):
        report.add((path, predicate, obj))
        _copy_path(shapes, obj, report)


def _add_result(
    report: Graph,
    check: Check,
    component: URIRef,
    this: URIRef | Literal | BNode,
    row: tuple[object, ...],
    bound: dict[str, object],
    shapes: Graph | None,
    short: Callable[[object], str],
) -> None:
    result = BNode()
    report.add((result, RDF.type, SH.ValidationResult))
    report.add((result, SH.focusNode, this))
    report.add((result, SH.sourceShape, check.shape))
    report.add((result, SH.sourceConstraintComponent, component))
    if check.constraint is not None:
        report.add((result, SH.sourceConstraint, check.constraint))
    report.add((result, SH.resultSeverity, check.severity))
    for message in check.messages:
        text = str(message)
        for name, value in bound.items():
            text = text.replace("{?" + name + "}", short(to_rdflib(value)))
        report.add((result, SH.resultMessage, Literal(text, lang=message.language)))
    path = check.path if check.path is not None else (to_rdflib(bound["path"]) if "path" in bound else None)
    if path is not None:
        report.add((result, SH.resultPath, path))
        if shapes is not None:
            _copy_path(shapes, path, report)
    if check.has_value:
        report.add((result, SH.value, to_rdflib(bound.get("value", row[0]))))


def run_checks(
    store: ox.Store,
    checks: tuple[Check, ...],
    report: Graph,
    *,
    shapes: Graph | None = None,
    union: bool = True,
    keep: Callable[[URIRef | Literal | BNode], bool] | None = None,
    short: Callable[[object], str] = str,
) -> int:
    """Run ``checks`` on ``store`` and add one SHACL validation result to ``report`` per row; return how many.

    ``union`` queries the union of the store's graphs (Oxigraph repeats a triple once per graph
    holding it, so rows are de-duplicated first); ``keep`` filters focus nodes; ``shapes`` supplies
    the structure of complex paths; ``short`` writes the terms that fill message placeholders.
    """
    found = 0
    for check in checks:
        solutions = store.query(check.query, use_default_graph_as_union=union)
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        held = [i for i, name in enumerate(names) if name.startswith(_HELD)]
        rows = {tuple(solution[i] for i in range(len(names))) for solution in solutions}
        for row in sorted(rows, key=str):
            this = to_rdflib(row[0])
            if keep is not None and not keep(this):
                continue
            bound = {
                name: value
                for name, value in zip(names, row, strict=True)
                if value is not None and not name.startswith("_")
            }
            for rule in check.rules:
                if rule.fires(row):
                    # One result per node shape holding the focus node, as each checks it in SHACL.
                    times = sum(1 for i in held if _true(row[i])) if held else 1
                    for _ in range(times):
                        _add_result(report, check, rule.component, this, row, bound, shapes, short)
                        found += 1
    return found
