// Load one export with the importer an analyst's tool uses, and print what it saw as JSON.
//
//   node load-exports.mjs graphml|gexf|cytoscape FILE
//
// GraphML and GEXF go through graphology's parsers (what Gephi Lite runs); Cytoscape JSON
// through cytoscape.js itself, headless. Each throws on a file its tool would refuse (for
// graphology: two edges with one id), which fails the test that runs this script.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const [fmt, path] = process.argv.slice(2);
const text = readFileSync(path, "utf8");

function summary(nodes, edges) {
  return {
    nodes: nodes.length,
    edges: edges.length,
    distinctEdgeIds: new Set(edges.map((e) => e.id)).size,
    nodeLabels: Object.fromEntries(nodes.map((n) => [n.id, n.label])),
    edgeLabels: edges.map((e) => e.label).sort(),
    predicates: [...new Set(edges.map((e) => e.predicate))].sort(),
  };
}

let result;
if (fmt === "graphml" || fmt === "gexf") {
  const Graph = require("graphology");
  const parser = fmt === "graphml" ? require("graphology-graphml") : require("graphology-gexf");
  const graph = parser.parse(Graph, text);
  const nodes = graph.mapNodes((id, a) => ({ id, label: a.label }));
  const edges = graph.mapEdges((id, a) => ({ id, label: a.label, predicate: a.predicate }));
  result = { ...summary(nodes, edges), type: graph.type, multi: graph.multi };
} else if (fmt === "cytoscape") {
  const cytoscape = require("cytoscape");
  const data = JSON.parse(text);
  const cy = cytoscape({ headless: true, elements: data.elements });
  const nodes = cy.nodes().map((n) => ({ id: n.id(), label: n.data("name") }));
  const edges = cy.edges().map((e) => ({ id: e.id(), label: e.data("label"), predicate: e.data("predicate") }));
  result = summary(nodes, edges);
} else {
  throw new Error(`unknown format ${fmt}`);
}
process.stdout.write(JSON.stringify(result));
