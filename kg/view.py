"""``kg view``: one self-contained, offline HTML page to explore the graph, drawn by cytoscape.js.

cytoscape.js (MIT, vendored under ``kg/vendor/cytoscape/`` with its licence) is inlined
into the page with the data, so the page is one file that opens without a network. It draws
the nodes at positions computed here (networkx's ForceAtlas2, seeded, so the same graph gives
the same page), and this module's script adds what an analyst needs around it:

* labels that never overlap: after every zoom or pan, labels are placed greedily by priority
  (the selected node and its neighbours, then the laws, then the best connected) at a constant
  size on screen, and a label that would overlap one already placed stays hidden until zooming
  in makes room;
* search by English or Chinese name or abbreviation, which flies to the hit and opens it;
* a details panel whose neighbours are buttons (click one to go there), with source links;
* edge labels on hover (and around the selected node);
* filters by type and by date (undated bodies and places always stay);
* a first view fitted on the laws and their neighbours (or on ``focus``).
"""

from __future__ import annotations

import html
import json
import re
from functools import cache
from importlib import resources
from pathlib import Path

import networkx as nx
import numpy as np

from kg import progress
from kg.export import NODE_ATTRIBUTES, day, laws

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

#: The longest label drawn on the canvas; longer names are cut at a word boundary (the full name is in the panel).
LABEL_CHARS = 32


@cache
def cytoscape_js() -> str:
    """The vendored cytoscape.js (minified), to inline into the page."""
    return (resources.files("kg") / "vendor" / "cytoscape" / "cytoscape.min.js").read_text(encoding="utf-8")


def short_label(name: str, abbreviations: str = "", limit: int = LABEL_CHARS) -> str:
    """The canvas label: the shortest abbreviation, else the name cut at a word boundary.

    Example:
        >>> short_label("Personal Information Protection Law", "PIPL; PI Protection Law")
        'PIPL'
        >>> short_label("Two airline customer service agents jailed for selling celebrities' flight data")
        'Two airline customer service…'

    """
    if abbreviations:
        return abbreviations.split("; ")[0]
    if len(name) <= limit:
        return name
    cut = name[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:-–")
    return cut + "…"


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>__TITLE__</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
 html,body{margin:0;height:100%}
 body{font:14px system-ui,sans-serif;display:flex;color:#222}
 #side{width:340px;padding:12px 14px;overflow:auto;border-right:1px solid #ddd;box-sizing:border-box;background:#fff}
 #side h1{font-size:17px;margin:0 0 8px}
 #graph{flex:1;position:relative;background:#fafafa}
 input[type=search]{width:100%;box-sizing:border-box;padding:7px;font-size:14px}
 #hits{list-style:none;margin:2px 0 8px;padding:0}
 #hits button,.nb{background:none;border:0;padding:2px 0;color:#0645ad;cursor:pointer;text-align:left;font:inherit}
 #hits button:hover,.nb:hover{text-decoration:underline}
 fieldset{border:1px solid #e3e3e3;margin:8px 0;padding:6px 8px}
 legend{font-weight:600;font-size:13px}
 .types label{display:block;margin:2px 0;cursor:pointer}
 .dot{display:inline-block;width:11px;height:11px;border-radius:6px;margin:0 6px 0 4px;vertical-align:-1px}
 .dates input{width:100%;box-sizing:border-box;margin:2px 0 4px}
 small,.muted{color:#666}
 #details h2{font-size:15px;margin:10px 0 4px}
 #details dl{margin:0}#details dt{font-weight:600;margin-top:4px}#details dd{margin:0;word-break:break-word}
 #details ul{padding-left:16px;margin:4px 0}#details li{margin:1px 0}
 #details a{word-break:break-all}
 .rel{color:#555}
 .warn{background:#fff3cd;padding:6px;margin:6px 0;font-size:13px}
</style></head><body>
<div id="side">
<h1>__TITLE__</h1>__WARNING__
<input id="search" type="search" placeholder="Search: name, 中文 or abbreviation" aria-label="search" autocomplete="off">
<ul id="hits"></ul>
<div id="count" class="muted"></div>
<fieldset class="types" id="types"><legend>Types</legend></fieldset>
<fieldset class="dates"><legend>Dates</legend>
<label>From <input id="since" type="date"></label><label>To <input id="until" type="date"></label>
<small>Undated entities (bodies, courts, places) always show.</small></fieldset>
<div id="details"><p class="muted">Click a node, or search, for its details and links.</p></div>
</div>
<div id="graph" role="img" aria-label="graph"></div>
<script>__CYTOSCAPE__</script>
<script id="data" type="application/json">__DATA__</script>
<script>
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("data").textContent);
  var LABEL_PX = 12, EDGE_LABEL_PX = 10;
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  var elements = [], zoomNow = 1;
  data.nodes.forEach(function (n) {
    elements.push({group: "nodes", data: {id: n.id, label: n.short, type: n.type, size: n.size, law: n.law ? 1 : 0,
      colour: data.colours[n.type] || "#999"}, position: {x: n.x, y: n.y}});
  });
  data.edges.forEach(function (e) {
    elements.push({group: "edges", data: {id: e.id, source: e.source, target: e.target, label: e.label}});
  });
  var cy = cytoscape({
    container: document.getElementById("graph"), elements: elements, layout: {name: "preset"},
    minZoom: 0.02, maxZoom: 8, boxSelectionEnabled: false, selectionType: "single",
    style: [
      {selector: "node", style: {"width": "data(size)", "height": "data(size)", "background-color": "data(colour)",
        "label": "data(label)", "font-size": function () { return LABEL_PX / zoomNow; },
        "font-family": '"Helvetica Neue", Helvetica, Arial, sans-serif', "text-valign": "bottom", "text-margin-y": function () { return 2 / zoomNow; }, "color": "#1a1a1a",
        "text-outline-color": "#fafafa", "text-outline-width": function () { return 2 / zoomNow; }, "text-opacity": 0,
        "border-width": 0}},
      {selector: "node[law = 1]", style: {"shape": "round-rectangle", "border-width": function () { return 2 / zoomNow; }, "border-color": "#0b3d91",
        "font-weight": "bold"}},
      {selector: "node.labelled", style: {"text-opacity": 1}},
      {selector: "node.lbl-top", style: {"text-valign": "top", "text-margin-y": function () { return -2 / zoomNow; }}},
      {selector: "node.lbl-right", style: {"text-valign": "center", "text-halign": "right", "text-margin-y": 0,
        "text-margin-x": function () { return 3 / zoomNow; }}},
      {selector: "node.lbl-left", style: {"text-valign": "center", "text-halign": "left", "text-margin-y": 0,
        "text-margin-x": function () { return -3 / zoomNow; }}},
      {selector: "node:selected", style: {"border-width": function () { return 4 / zoomNow; }, "border-color": "#000"}},
      {selector: "edge", style: {"line-color": "#c9c9c9", "curve-style": "bezier",
        "target-arrow-shape": "triangle", "target-arrow-color": "#c9c9c9",
        "font-size": function () { return EDGE_LABEL_PX / zoomNow; }, "text-rotation": "autorotate", "color": "#333",
        "text-background-color": "#ffffff", "text-background-opacity": 0.9, "text-background-padding": function () { return 1 / zoomNow; },
        "width": function () { return 1 / zoomNow; }, "arrow-scale": 0.6}},
      {selector: "edge.hover, edge.near", style: {"label": "data(label)", "line-color": "#555",
        "target-arrow-color": "#555", "width": function () { return 2 / zoomNow; }, "z-index": 10}},
      {selector: ".faded", style: {"opacity": 0.25}},
      {selector: ".filtered", style: {"display": "none"}}
    ]
  });
  var container = document.getElementById("graph");

  // Labels: a constant size on screen, placed greedily by priority so that none overlaps another
  // label or a labelled node. Sizes are cytoscape's own label boxes, read once the new sizes are drawn.
  var selected = null, hit = null, pending = null, SIDES = ["bottom", "top", "right", "left"];
  function priority(n) {
    if (selected && n.same(selected)) return 4e9;
    if (hit && n.same(hit)) return 3e9;
    if (selected && n.edgesWith(selected).length) return 2e9 + n.degree();
    return (n.data("law") ? 1e9 : 0) + n.degree();
  }
  // After a style change cytoscape measures labels when it next draws: place them a frame later.
  // <body data-busy> is 1 from a view change until its labels are placed (tests wait on it).
  function relabel(done) {
    if (pending) clearTimeout(pending);  // called directly, it stands for any placement still waiting
    pending = null;
    document.body.setAttribute("data-busy", "1");
    if (zoomNow !== cy.zoom()) { zoomNow = cy.zoom(); cy.style().update(); }
    requestAnimationFrame(function () {
      requestAnimationFrame(function () {
        place();
        // The sides other than the measured one are estimates: once drawn, a label that still
        // meets another (or the edge) gives way to the one before it.
        requestAnimationFrame(function () {
          requestAnimationFrame(function () {
            unclash();
            if (!pending) document.body.setAttribute("data-busy", "0");
            if (typeof done === "function") done();
          });
        });
      });
    });
  }
  function byPriority(a, b) { return priority(b) - priority(a) || (a.id() < b.id() ? -1 : 1); }
  function unclash() {
    var width = container.clientWidth, height = container.clientHeight, kept = [];
    cy.nodes(".labelled").toArray().sort(byPriority)
      .forEach(function (n) {
        var b = n.renderedBoundingBox({includeNodes: false, includeEdges: false, includeLabels: true});
        var clash = b.x1 < -0.5 || b.y1 < -0.5 || b.x2 > width + 0.5 || b.y2 > height + 0.5 || kept.some(function (o) {
          return b.x1 < o.x2 - 0.5 && o.x1 < b.x2 - 0.5 && b.y1 < o.y2 - 0.5 && o.y1 < b.y2 - 0.5;
        });
        if (clash) n.removeClass("labelled lbl-top lbl-right lbl-left"); else kept.push(b);
      });
    document.body.setAttribute("data-labels", String(kept.length));
  }
  function place() {
    var width = container.clientWidth, height = container.clientHeight, cell = 80, grid = {}, placed = [], pad = 1;
    var candidates = cy.nodes().filter(function (n) {
      if (n.hasClass("filtered")) return false;
      var p = n.renderedPosition();
      return p.x >= 0 && p.x <= width && p.y >= 0 && p.y <= height;
    }).toArray().sort(byPriority);
    function cells(box, visit) {
      for (var i = Math.floor(box.x1 / cell); i <= Math.floor(box.x2 / cell); i++)
        for (var j = Math.floor(box.y1 / cell); j <= Math.floor(box.y2 / cell); j++)
          if (visit(grid[i + ":" + j] || (grid[i + ":" + j] = [])) === false) return false;
      return true;
    }
    // Each label may sit below, above, right or left of its node: the first side that is free wins.
    // A label's box on each side, from its box where it is now: the offset from the node's centre
    // on the measured side, the others estimated from it (the margins differ by a pixel) with a
    // few pixels to spare, since cytoscape's offsets shift a little with the zoom.
    function sides(n, b, p) {
      var now = n.hasClass("lbl-top") ? "top" : n.hasClass("lbl-right") ? "right" : n.hasClass("lbl-left") ? "left" : "bottom";
      var a = now === "bottom" ? b.y1 - p.y : now === "top" ? p.y - b.y2 : null;
      var c = now === "right" ? b.x1 - p.x : now === "left" ? p.x - b.x2 : null;
      if (a === null) a = c - 1;
      if (c === null) c = a + 1;
      var w = b.w, h = b.h, e = 3 + pad;  // e: pixels to spare along the axis the offset is on
      return {
        bottom: {x1: p.x - w / 2 - pad, x2: p.x + w / 2 + pad, y1: p.y + a - e, y2: p.y + a + h + e},
        top: {x1: p.x - w / 2 - pad, x2: p.x + w / 2 + pad, y1: p.y - a - h - e, y2: p.y - a + e},
        right: {x1: p.x + c - e, x2: p.x + c + w + e, y1: p.y - h / 2 - pad, y2: p.y + h / 2 + pad},
        left: {x1: p.x - c - w - e, x2: p.x - c + e, y1: p.y - h / 2 - pad, y2: p.y + h / 2 + pad}
      };
    }
    function free(box) {
      if (box.x1 < 0 || box.y1 < 0 || box.x2 > width || box.y2 > height) return false;  // no label cut by the edge
      return cells(box, function (others) {
        for (var k = 0; k < others.length; k++) {
          var o = others[k];
          if (box.x1 < o.x2 && o.x1 < box.x2 && box.y1 < o.y2 && o.y1 < box.y2) return false;
        }
        return true;
      });
    }
    candidates.forEach(function (n) {
      var b = n.renderedBoundingBox({includeNodes: false, includeEdges: false, includeLabels: true});
      if (!(b.w > 0)) return;
      var body = n.renderedBoundingBox({includeLabels: false, includeEdges: false});
      var boxes = sides(n, b, n.renderedPosition());
      for (var s = 0; s < SIDES.length; s++) {
        var box = boxes[SIDES[s]];
        if (!free(box)) continue;
        [box, body].forEach(function (x) { cells(x, function (list) { list.push(x); }); });
        placed.push([n, SIDES[s]]);
        return;
      }
    });
    cy.batch(function () {
      cy.nodes(".labelled").removeClass("labelled lbl-top lbl-right lbl-left");
      placed.forEach(function (pair) { pair[0].addClass(pair[1] === "bottom" ? "labelled" : "labelled lbl-" + pair[1]); });
    });
    document.body.setAttribute("data-labels", String(placed.length));
  }
  function later() {
    document.body.setAttribute("data-busy", "1");
    if (pending) clearTimeout(pending);
    pending = setTimeout(relabel, 60);
  }
  cy.on("viewport", later);

  // The details panel: names, dates, sources, and every neighbour as a button.
  function text(tag, value, cls) { var e = document.createElement(tag); e.textContent = value; if (cls) e.className = cls; return e; }
  function goButton(node) {
    var b = text("button", node.label || node.id, "nb"); b.type = "button"; b.setAttribute("data-id", node.id);
    b.addEventListener("click", function () { go(node.id); }); return b;
  }
  function show(id) {
    var n = byId[id], box = document.getElementById("details");
    box.innerHTML = "";
    box.appendChild(text("h2", n.label));
    var dl = document.createElement("dl");
    [["中文", n.label_zh], ["Abbreviations", n.abbreviations.split("; ").join(", ")], ["Type", n.type],
     ["Rank", n.rank], ["Date", n.date], ["IRI", n.id]].forEach(function (pair) {
      if (!pair[1]) return; dl.appendChild(text("dt", pair[0])); dl.appendChild(text("dd", pair[1]));
    });
    box.appendChild(dl);
    var links = cy.getElementById(id).connectedEdges().filter(function (e) { return !e.hasClass("filtered"); });
    var shown = links.filter(function (e) { return !e.source().hasClass("filtered") && !e.target().hasClass("filtered"); });
    box.appendChild(text("h2", "Links (" + shown.length + ")"));
    var ul = document.createElement("ul");
    shown.sort(function (a, b) { return a.data("label") < b.data("label") ? -1 : a.data("label") > b.data("label") ? 1 : 0; })
      .slice(0, 60).forEach(function (e) {
        var out = e.source().id() === id, other = byId[out ? e.target().id() : e.source().id()];
        var li = document.createElement("li");
        li.appendChild(text("span", out ? e.data("label") + " → " : "← " + e.data("label") + ": ", "rel"));
        li.appendChild(goButton(other)); ul.appendChild(li);
      });
    if (shown.length > 60) ul.appendChild(text("li", "and " + (shown.length - 60) + " more", "muted"));
    box.appendChild(ul);
    var sources = (n.sources || "").split(" ").filter(Boolean);
    if (sources.length) {
      box.appendChild(text("h2", "Sources"));
      var su = document.createElement("ul");
      sources.forEach(function (url) {
        var li = document.createElement("li"), a = text("a", url); a.href = url; a.target = "_blank"; a.rel = "noopener";
        li.appendChild(a); su.appendChild(li);
      });
      box.appendChild(su);
    }
  }
  function select(id) {
    var node = cy.getElementById(id);
    cy.batch(function () {
      cy.elements().removeClass("faded near");
      cy.$(":selected").unselect();
      node.select();
      var near = node.closedNeighborhood();
      near.edges().addClass("near");
      cy.elements().not(near).addClass("faded");
    });
    selected = node;
    show(id);
    document.body.setAttribute("data-selected", id);
  }
  // Fly to a node: centre it, zoomed in far enough to tell its neighbours apart.
  function go(id) {
    var node = cy.getElementById(id);
    if (node.hasClass("filtered")) return;
    select(id);
    var around = node.closedNeighborhood().nodes().not(".filtered").boundingBox();
    var fit = Math.min(container.clientWidth / (around.w + 200), container.clientHeight / (around.h + 200));
    var zoom = Math.min(cy.maxZoom(), Math.max(start.zoom * 1.6, Math.min(fit, start.zoom * 4)));
    document.body.setAttribute("data-flying", "1");
    cy.stop(true, true);
    cy.animate({zoom: zoom, center: {eles: node}}, {duration: 450, easing: "ease-in-out-cubic",
      complete: function () { relabel(function () { document.body.setAttribute("data-flying", "0"); }); }});
  }
  cy.on("tap", "node", function (ev) { select(ev.target.id()); later(); });
  cy.on("tap", function (ev) {
    if (ev.target !== cy) return;
    selected = null; cy.elements().removeClass("faded near"); cy.$(":selected").unselect(); later();
  });
  cy.on("mouseover", "edge", function (ev) { ev.target.addClass("hover"); });
  cy.on("mouseout", "edge", function (ev) { ev.target.removeClass("hover"); });
  cy.on("mouseover", "node", function () { container.style.cursor = "pointer"; });
  cy.on("mouseout", "node", function () { container.style.cursor = ""; });
  container.addEventListener("mouseleave", function () { cy.edges(".hover").removeClass("hover"); });

  // Search: names in English or Chinese and abbreviations; Enter (or a click) flies to the hit.
  var search = document.getElementById("search"), hits = document.getElementById("hits");
  function matches(q) {
    q = q.trim().toLowerCase();
    if (!q) return [];
    var found = [];
    data.nodes.forEach(function (n) {
      if (cy.getElementById(n.id).hasClass("filtered")) return;
      var abbr = n.abbreviations.toLowerCase().split("; "), en = n.label.toLowerCase(), rank = -1;
      if (abbr.indexOf(q) >= 0 || en === q || n.label_zh === q) rank = 0;
      else if (en.indexOf(q) === 0) rank = 1;
      else if (en.indexOf(q) > 0 || (n.label_zh && n.label_zh.indexOf(q) >= 0) || abbr.some(function (a) { return a && a.indexOf(q) === 0; })) rank = 2;
      if (rank >= 0) found.push([rank, -n.degree, n]);
    });
    found.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || (a[2].label < b[2].label ? -1 : 1); });
    return found.slice(0, 8).map(function (f) { return f[2]; });
  }
  search.addEventListener("input", function () {
    hits.innerHTML = "";
    matches(search.value).forEach(function (n) {
      var li = document.createElement("li"), b = goButton(n);
      b.textContent = n.label + (n.abbreviations ? " (" + n.abbreviations.split("; ")[0] + ")" : "");
      b.appendChild(text("span", " · " + n.type, "muted"));
      li.appendChild(b); hits.appendChild(li);
    });
    var first = matches(search.value)[0];
    hit = first ? cy.getElementById(first.id) : null;
  });
  search.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter") return;
    var first = matches(search.value)[0];
    if (first) go(first.id);
  });

  // Filters: types (the legend) and a date range.
  var types = document.getElementById("types");
  Object.keys(data.counts).sort().forEach(function (type) {
    var label = document.createElement("label"), box = document.createElement("input"), dot = text("span", "", "dot");
    box.type = "checkbox"; box.checked = true; box.setAttribute("data-type", type); box.addEventListener("change", filter);
    dot.style.background = data.colours[type] || "#999";
    label.appendChild(box); label.appendChild(dot); label.appendChild(document.createTextNode(type + " (" + data.counts[type] + ")"));
    types.appendChild(label);
  });
  var since = document.getElementById("since"), until = document.getElementById("until");
  since.value = data.first_date; until.value = data.last_date;
  ["input", "change"].forEach(function (kind) { since.addEventListener(kind, filter); until.addEventListener(kind, filter); });
  function filter() {
    var off = {};
    types.querySelectorAll("input").forEach(function (b) { if (!b.checked) off[b.getAttribute("data-type")] = true; });
    var from = since.value || "0000", to = until.value || "9999";
    cy.batch(function () {
      cy.nodes().forEach(function (n) {
        var d = byId[n.id()].day;
        n.toggleClass("filtered", !!off[n.data("type")] || (!!d && (d < from || d > to)));
      });
    });
    if (selected && selected.hasClass("filtered")) {
      selected = null; cy.elements().removeClass("faded near"); cy.$(":selected").unselect();
      document.getElementById("details").innerHTML = "";
    } else if (selected) {
      show(selected.id());  // its links, as the filters leave them
    }
    count();
    later();
  }
  function count() {
    var shown = cy.nodes().not(".filtered");
    document.getElementById("count").textContent = shown.length + " of " + data.nodes.length + " nodes, " +
      shown.connectedEdges().filter(function (e) { return !e.source().hasClass("filtered") && !e.target().hasClass("filtered"); }).length +
      " links shown";
  }

  // The first view: the laws (or the focus) and their neighbours.
  var seeds = cy.collection();
  data.start.forEach(function (id) { seeds = seeds.union(cy.getElementById(id)); });
  if (!seeds.length) seeds = cy.nodes().sort(function (a, b) { return b.degree() - a.degree(); }).slice(0, 10);
  cy.fit(seeds.closedNeighborhood().nodes(), 30);
  var start = {zoom: cy.zoom()};
  count();
  relabel();
  window.kgView = {cy: cy, go: go, relabel: relabel, matches: matches, day: function (id) { return byId[id].day; }};
  document.body.setAttribute("data-rendered", String(cy.nodes().length));
})();
</script></body></html>
"""


def _sizes(graph: nx.MultiDiGraph) -> dict[str, float]:
    degree = dict(graph.degree)
    return {n: round(10 + min(30.0, degree.get(n, 0) ** 0.5 * 3), 1) for n in graph}


def layout(graph: nx.MultiDiGraph, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Positions in [-1, 1]: ForceAtlas2 (networkx's, as Gephi draws) with LinLog and hubs dissuaded.

    LinLog pulls clusters apart and "dissuade hubs" pushes the bodies and places that everything
    links to (China, the State Council) outwards, so the laws and what hangs on them separate;
    node sizes keep nodes from overlapping. Seeded: the same graph gives the same positions.
    """
    simple = nx.Graph(graph)
    simple.remove_edges_from(list(nx.selfloop_edges(simple)))
    if not len(simple):
        return {}
    sizes = _sizes(graph)
    with progress.task(f"laying out {simple.number_of_nodes()} nodes"), np.errstate(divide="ignore", invalid="ignore"):
        raw = nx.forceatlas2_layout(
            simple, seed=seed, max_iter=200, distributed_action=True, linlog=True, node_size=sizes
        )
    if not all(np.isfinite(xy).all() for xy in raw.values()):  # a degenerate graph: fall back to a spring layout
        raw = nx.spring_layout(simple, seed=seed)
    return {n: (float(x), float(y)) for n, (x, y) in nx.rescale_layout_dict(raw, scale=1.0).items()}


def page(
    graph: nx.MultiDiGraph,
    title: str = "datalaw-kg",
    warning: str | None = None,
    seed: int = 7,
    focus: str | None = None,
) -> str:
    """The HTML page drawing ``graph``, opened on ``focus`` or else on the laws and their neighbours.

    Positions come from :func:`layout` (seeded), so the same graph gives the same page.
    """
    positions = layout(graph, seed)
    # Room for about a label's width between neighbours at the first zoom.
    spread = 30.0 * max(1, graph.number_of_nodes()) ** 0.5
    sizes = _sizes(graph)
    statutes = set(laws(graph))
    nodes = []
    for node, data in sorted(graph.nodes(data=True)):
        x, y = positions.get(node, (0.0, 0.0))
        values = {k: data.get(k, "") or "" for k in NODE_ATTRIBUTES}
        nodes.append(
            {
                "id": node,
                "x": round(spread * float(x), 1),
                "y": round(spread * float(y), 1),
                "size": sizes[node],
                "degree": graph.degree(node),
                "law": node in statutes,
                "short": short_label(values["label"] or node, values["abbreviations"]),
                "day": day(values["date"]) if values["date"] else "",
                **values,
            }
        )
    edges = [
        {"id": key, "source": s, "target": o, "label": d.get("label", "")}
        for s, o, key, d in sorted(graph.edges(keys=True, data=True), key=lambda e: e[2])
    ]
    counts: dict[str, int] = {}
    for node in nodes:
        counts[node["type"]] = counts.get(node["type"], 0) + 1
    days = sorted(n["day"] for n in nodes if n["day"])
    start = [focus] if focus and focus in graph else sorted(statutes)
    payload = json.dumps(
        {
            "nodes": nodes,
            "edges": edges,
            "colours": COLOURS,
            "counts": counts,
            "start": start,
            "first_date": days[0] if days else "",
            "last_date": days[-1] if days else "",
        },
        ensure_ascii=False,
    )
    # A closing tag inside the JSON would end the <script> element early.
    payload = payload.replace("</", "<\\/")
    notice = f'<div class="warn">{html.escape(warning)}</div>' if warning else ""
    slots = {"TITLE": html.escape(title), "WARNING": notice, "DATA": payload, "CYTOSCAPE": cytoscape_js()}
    # One pass, so that nothing substituted (a name, the library) is itself read as a slot.
    return re.sub(r"__(TITLE|WARNING|DATA|CYTOSCAPE)__", lambda m: slots[m.group(1)], _PAGE)


def write_page(
    graph: nx.MultiDiGraph,
    out: Path,
    title: str = "datalaw-kg",
    warning: str | None = None,
    focus: str | None = None,
) -> Path:
    """Write the page to ``out`` and return its path."""
    text = page(graph, title, warning, focus=focus)
    with progress.task(f"writing {out}"):
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    return out
