// Use `kg view`'s page as a person would, in Debian's chromium driven by playwright-core, and
// report what happened as JSON (the Python test asserts on it). Screenshots go to OUTDIR.
//
//   node view-check.mjs PAGE.html OUTDIR [CHROMIUM]
//
// Every step waits on the page's own signals (data-* attributes on <body>), never on a timer
// alone. Any request that leaves file:// is recorded: the page must work offline.
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const [pagePath, outDir, executable = "/usr/bin/chromium"] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });

const browser = await chromium.launch({ executablePath: executable, args: ["--no-sandbox", "--disable-gpu"] });
const result = { console: [], requests: [], screenshots: [] };
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") result.console.push(m.text()); });
  page.on("pageerror", (e) => result.console.push(`pageerror: ${e.message}`));
  page.on("request", (r) => { if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) result.requests.push(r.url()); });
  await page.goto(pathToFileURL(pagePath).href);
  await page.waitForSelector("body[data-rendered][data-labels]");

  async function shot(name) {
    const path = join(outDir, `${name}.png`);
    await page.screenshot({ path });
    result.screenshots.push(path);
  }
  // What the page shows now, measured by cytoscape itself after a frame has been drawn.
  async function state() {
    // The labels of the last view change are placed, and stay so for two frames.
    for (let settled = false; !settled; ) {
      await page.waitForSelector("body[data-busy='0']");
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
      settled = await page.evaluate(() => document.body.dataset.busy === "0");
    }
    return page.evaluate(() => {
      const cy = window.kgView.cy;
      const box = cy.container().getBoundingClientRect();
      const labelled = cy.nodes(".labelled").filter((n) => !n.hasClass("filtered"));
      const boxes = labelled.map((n) => ({ id: n.id(), label: n.data("label"),
        ...n.renderedBoundingBox({ includeNodes: false, includeEdges: false, includeLabels: true }) }));
      const clipped = boxes.filter((b) => b.x1 < -0.5 || b.y1 < -0.5 || b.x2 > box.width + 0.5 || b.y2 > box.height + 0.5).length;
      let overlaps = 0;
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i], b = boxes[j];
        if (a.x1 < b.x2 - 0.5 && b.x1 < a.x2 - 0.5 && a.y1 < b.y2 - 0.5 && b.y1 < a.y2 - 0.5) overlaps++;
      }
      const inView = (n) => { const p = n.renderedPosition(); return p.x >= 0 && p.y >= 0 && p.x <= box.width && p.y <= box.height; };
      const laws = cy.nodes("[law = 1]");
      const sel = cy.$("node:selected");
      return {
        zoom: cy.zoom(),
        labels: boxes.length,
        labelTexts: boxes.map((b) => b.label),
        labelHeights: boxes.map((b) => b.h),
        overlaps,
        clipped,
        laws: laws.length,
        lawsInView: laws.filter(inView).length,
        lawsLabelled: laws.filter((n) => n.hasClass("labelled")).length,
        selected: sel.length ? sel.id() : null,
        selectedOffset: sel.length ? Math.hypot(sel.renderedPosition().x - box.width / 2, sel.renderedPosition().y - box.height / 2) : null,
        details: document.getElementById("details").innerText,
        visible: cy.nodes().not(".filtered").map((n) => ({ type: n.data("type"), day: window.kgView.day(n.id()) })),
        hoverEdges: cy.edges(".hover").map((e) => ({ id: e.id(), label: e.style("label"), expected: e.data("label") })),
        edgeLabelsShown: cy.edges().filter((e) => e.style("label") !== "").length,
      };
    });
  }

  result.default = await state();
  await shot("view-default");

  // Hover an edge away from any node: its label appears (and no other edge's).
  const target = await page.evaluate(() => {
    const cy = window.kgView.cy, rect = cy.container().getBoundingClientRect();
    for (const e of cy.edges().toArray()) {
      const m = e.renderedMidpoint();
      if (m.x < 20 || m.y < 20 || m.x > rect.width - 20 || m.y > rect.height - 20) continue;
      const clear = cy.nodes().every((n) => { const p = n.renderedPosition(); return Math.hypot(p.x - m.x, p.y - m.y) > n.renderedOuterWidth() / 2 + 12; });
      const s = e.source().renderedPosition(), t = e.target().renderedPosition();
      if (clear && Math.hypot(s.x - t.x, s.y - t.y) > 80) return { id: e.id(), label: e.data("label"), x: rect.left + m.x, y: rect.top + m.y };
    }
    return null;
  });
  result.hoverTarget = target;
  if (target) {
    await page.mouse.move(target.x, target.y, { steps: 4 });
    await page.waitForFunction((id) => window.kgView.cy.getElementById(id).hasClass("hover"), target.id, { timeout: 30000 }).catch(() => {});
    result.hover = await state();
    result.hover.pointer = target;
    result.hover.edgesNearPointer = await page.evaluate((t) => {
      const cy = window.kgView.cy, rect = cy.container().getBoundingClientRect(), x = t.x - rect.left, y = t.y - rect.top;
      return cy.edges(".hover").map((e) => {
        const s = e.sourceEndpoint(), d = e.targetEndpoint(), pan = cy.pan(), z = cy.zoom();
        const ax = s.x * z + pan.x, ay = s.y * z + pan.y, bx = d.x * z + pan.x, by = d.y * z + pan.y;
        const len = Math.hypot(bx - ax, by - ay), u = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / (len * len)));
        return Math.hypot(ax + u * (bx - ax) - x, ay + u * (by - ay) - y);
      });
    }, target);
    await shot("view-edge-hover");
    await page.mouse.move(5, 5);
  }

  // Search by abbreviation, Enter: the view flies to the hit and opens it.
  await page.fill("#search", "PIPL");
  result.hits = await page.locator("#hits li").allInnerTexts();
  await page.press("#search", "Enter");
  await page.waitForSelector("body[data-flying='0'][data-selected]");
  result.search = await state();
  await shot("view-search");

  // A neighbour in the details panel is a button: click it and the view goes there.
  const neighbour = page.locator("#details button.nb").first();
  result.neighbourClicked = await neighbour.innerText();
  await neighbour.click();
  await page.waitForFunction((before) => document.body.dataset.selected !== before && document.body.dataset.flying === "0",
    result.search.selected);
  result.neighbour = await state();
  await shot("view-neighbour");

  // Filters: drop a type, then narrow the dates.
  await page.uncheck("input[data-type='Jurisdiction']");
  await page.fill("#since", "2022-01-01");
  await page.fill("#until", "2022-12-31");
  await page.dispatchEvent("#until", "change");
  result.filtered = await state();
  await shot("view-filtered");
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(result));
