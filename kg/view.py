"""``kg view``: one self-contained, offline HTML page to explore the graph.

Positions are computed here with networkx (a spring layout), so the page needs no layout
library and no network: its script (plain JavaScript in this module) draws SVG, colours
nodes by type with a legend, pans and zooms, searches names in English and Chinese, and
shows a clicked node's details with its source links. Graphs larger than ``max_nodes`` are
sampled (the best-connected nodes, and the focus) with a warning in the page and on stderr.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import networkx as nx

COLOURS = {
    "LegalInstrument": "#1f77b4",
    "Authority": "#ff7f0e",
    "Court": "#2ca02c",
    "Jurisdiction": "#9467bd",
    "EnforcementAction": "#d62728",
    "CourtCase": "#8c564b",
    "Party": "#e377c2",
    "NewsItem": "#7f7f7f",
}

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>__TITLE__</title>
<style>
 body{margin:0;font:14px system-ui,sans-serif;display:flex;height:100vh}
 #side{width:320px;padding:12px;overflow:auto;border-right:1px solid #ddd;box-sizing:border-box}
 #main{flex:1;position:relative} svg{width:100%;height:100%;background:#fafafa;cursor:grab}
 .legend span{display:inline-block;width:12px;height:12px;border-radius:6px;margin-right:6px;vertical-align:middle}
 .legend div{margin:2px 0} #details a{word-break:break-all} .warn{background:#fff3cd;padding:6px;margin:6px 0}
 input{width:100%;box-sizing:border-box;padding:6px} circle.hit{stroke:#000;stroke-width:3px} line{stroke:#bbb}
 text{font-size:9px;pointer-events:none;fill:#333}
</style></head><body>
<div id="side"><h3 style="margin-top:0">__TITLE__</h3>__WARNING__
<input id="search" placeholder="Search names (English or 中文)…" aria-label="search">
<div id="count"></div><div class="legend" id="legend"></div><div id="details"><p>Click a node for its details.</p></div></div>
<div id="main"><svg id="canvas" role="img" aria-label="graph"><g id="view"></g></svg></div>
<script id="data" type="application/json">__DATA__</script>
<script>
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("data").textContent);
  var NS = "http://www.w3.org/2000/svg", view = document.getElementById("view"), svg = document.getElementById("canvas");
  var byId = {}, circles = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  function el(name, attrs) { var e = document.createElementNS(NS, name); for (var k in attrs) e.setAttribute(k, attrs[k]); return e; }
  data.edges.forEach(function (e) {
    var a = byId[e.source], b = byId[e.target]; if (!a || !b) return;
    var line = el("line", {x1: a.x, y1: a.y, x2: b.x, y2: b.y}); line.appendChild(el("title", {})).textContent = e.label; view.appendChild(line);
  });
  data.nodes.forEach(function (n) {
    var c = el("circle", {cx: n.x, cy: n.y, r: n.r, fill: data.colours[n.type] || "#999", "class": "node", "data-id": n.id});
    c.addEventListener("click", function (ev) { ev.stopPropagation(); show(n); });
    view.appendChild(c); circles[n.id] = c;
    if (n.r > 7) { var t = el("text", {x: n.x + n.r + 2, y: n.y + 3}); t.textContent = n.label.slice(0, 40); view.appendChild(t); }
  });
  var legend = document.getElementById("legend");
  Object.keys(data.counts).sort().forEach(function (type) {
    var d = document.createElement("div"), s = document.createElement("span");
    s.style.background = data.colours[type] || "#999"; d.appendChild(s);
    d.appendChild(document.createTextNode(type + " (" + data.counts[type] + ")")); legend.appendChild(d);
  });
  document.getElementById("count").textContent = data.nodes.length + " nodes, " + data.edges.length + " links";
  function show(n) {
    var box = document.getElementById("details"); box.innerHTML = "";
    function row(label, value) { if (!value) return; var p = document.createElement("p"); var b = document.createElement("b"); b.textContent = label + ": "; p.appendChild(b); p.appendChild(document.createTextNode(value)); box.appendChild(p); }
    row("Name", n.label); row("中文", n.label_zh); row("Type", n.type); row("Date", n.date); row("IRI", n.id);
    var links = data.edges.filter(function (e) { return e.source === n.id || e.target === n.id; }).slice(0, 25);
    links.forEach(function (e) { var other = byId[e.source === n.id ? e.target : e.source]; row(e.source === n.id ? e.label : "← " + e.label, other ? other.label : ""); });
    (n.sources || "").split(" ").filter(Boolean).forEach(function (url) {
      var p = document.createElement("p"), a = document.createElement("a"); a.href = url; a.textContent = url; a.target = "_blank"; a.rel = "noopener";
      p.appendChild(document.createTextNode("Source: ")); p.appendChild(a); box.appendChild(p);
    });
  }
  document.getElementById("search").addEventListener("input", function (ev) {
    var q = ev.target.value.trim().toLowerCase(), first = null;
    data.nodes.forEach(function (n) {
      var hit = q && ((n.label || "").toLowerCase().indexOf(q) >= 0 || (n.label_zh || "").indexOf(q) >= 0);
      circles[n.id].setAttribute("class", hit ? "node hit" : "node"); if (hit && !first) first = n;
    });
    if (first) show(first);
  });
  var scale = 1, tx = 0, ty = 0, drag = null;
  function apply() { view.setAttribute("transform", "translate(" + tx + "," + ty + ") scale(" + scale + ")"); }
  svg.addEventListener("wheel", function (ev) { ev.preventDefault(); var f = ev.deltaY < 0 ? 1.15 : 1 / 1.15; tx = ev.offsetX - f * (ev.offsetX - tx); ty = ev.offsetY - f * (ev.offsetY - ty); scale *= f; apply(); });
  svg.addEventListener("mousedown", function (ev) { drag = [ev.clientX - tx, ev.clientY - ty]; });
  window.addEventListener("mouseup", function () { drag = null; });
  window.addEventListener("mousemove", function (ev) { if (drag) { tx = ev.clientX - drag[0]; ty = ev.clientY - drag[1]; apply(); } });
  var box = svg.getBoundingClientRect(); scale = Math.min(box.width, box.height) / 1100; tx = box.width / 2 - 500 * scale; ty = box.height / 2 - 500 * scale; apply();
  document.body.setAttribute("data-rendered", String(data.nodes.length));
})();
</script></body></html>
"""


def page(graph: nx.MultiDiGraph, title: str = "datalaw-kg", warning: str | None = None, seed: int = 7) -> str:
    """The HTML page drawing ``graph`` (positions from a seeded spring layout, so the page is stable)."""
    simple = nx.Graph(graph)
    positions = (
        nx.spring_layout(simple, seed=seed, k=1.6 / max(1, simple.number_of_nodes()) ** 0.5) if len(simple) else {}
    )
    degree = dict(graph.degree)
    nodes = []
    for node, data in sorted(graph.nodes(data=True)):
        x, y = positions.get(node, (0.0, 0.0))
        nodes.append(
            {
                "id": node,
                "x": round(500 + 480 * float(x), 1),
                "y": round(500 + 480 * float(y), 1),
                "r": round(3 + min(12, degree.get(node, 0) ** 0.5 * 1.5), 1),
                **{k: data.get(k, "") for k in ("type", "label", "label_zh", "date", "sources")},
            }
        )
    edges = [
        {"source": s, "target": o, "label": d.get("label", "")}
        for s, o, d in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1], e[2].get("label", "")))
    ]
    counts: dict[str, int] = {}
    for node in nodes:
        counts[node["type"]] = counts.get(node["type"], 0) + 1
    payload = json.dumps({"nodes": nodes, "edges": edges, "colours": COLOURS, "counts": counts}, ensure_ascii=False)
    # A closing tag inside the JSON would end the <script> element early.
    payload = payload.replace("</", "<\\/")
    notice = f'<div class="warn">{html.escape(warning)}</div>' if warning else ""
    return _PAGE.replace("__TITLE__", html.escape(title)).replace("__WARNING__", notice).replace("__DATA__", payload)


def write_page(graph: nx.MultiDiGraph, out: Path, title: str = "datalaw-kg", warning: str | None = None) -> Path:
    """Write the page to ``out`` and return its path."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page(graph, title, warning), encoding="utf-8")
    return out
