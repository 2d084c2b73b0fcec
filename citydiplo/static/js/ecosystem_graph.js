// The interactive network graph of the ecosystem page (citydiplo/analysis/templates/analysis/graph.html).
//
// Markup: <div class="graph" data-graph="graph-data"> and <script type="application/json" id="graph-data">
// {"nodes": [{key, label, kind, size, color, url, country, degree, ...}], "edges": [[a, b], ...]}.
// Nodes start on a seeded pseudo-random layout (the same graph is drawn the same way on every visit),
// then ForceAtlas2 runs a fixed number of iterations. Clicking a node fills the card beside the graph
// (text only, never HTML: names come from user data). Globals: graphology, forceAtlas2, Sigma.
(function () {
  "use strict";

  function seeded(seed) {
    // mulberry32: a tiny deterministic generator, enough for initial positions.
    let state = seed >>> 0;
    return function () {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function formatNumber(value, digits) {
    if (value === null || value === undefined) return "–";
    return typeof value === "number" ? value.toFixed(digits) : String(value);
  }

  function fillCard(card, attributes) {
    if (!card) return;
    const digits = { betweenness: 6, eigenvector: 4, bridging: 3 };
    card.querySelectorAll("[data-field]").forEach((element) => {
      const field = element.dataset.field;
      if (field === "url") {
        element.href = attributes.url;
        return;
      }
      const value = attributes[field];
      element.textContent = field in digits ? formatNumber(value, digits[field]) : value === null || value === undefined || value === "" ? "–" : String(value);
    });
    card.hidden = false;
  }

  function init(container) {
    if (container.dataset.graphReady) return;
    if (typeof graphology === "undefined" || typeof Sigma === "undefined" || typeof forceAtlas2 === "undefined") return;
    const source = document.getElementById(container.dataset.graph);
    if (!source) return;
    const data = JSON.parse(source.textContent || "null");
    if (!data) return;
    container.dataset.graphReady = "1";

    const graph = new graphology.Graph({ type: "undirected", multi: false });
    const random = seeded(2026);
    data.nodes.forEach((node) => {
      graph.addNode(node.key, Object.assign({}, node, { x: random() * 100, y: random() * 100 }));
    });
    data.edges.forEach((edge) => {
      if (!graph.hasEdge(edge[0], edge[1])) graph.addEdge(edge[0], edge[1], { color: "#cbd5e1", size: 0.6 });
    });
    if (graph.order > 1) {
      const iterations = graph.order > 1500 ? 60 : 150;
      const settings = forceAtlas2.inferSettings(graph);
      settings.barnesHutOptimize = graph.order > 500;
      forceAtlas2.assign(graph, { iterations: iterations, settings: settings });
    }
    const renderer = new Sigma(graph, container, { renderEdgeLabels: false, labelRenderedSizeThreshold: 9 });
    container.dataset.graphNodes = String(graph.order);
    container.sigmaRenderer = renderer; // for the browser test, which clicks a node through it
    const card = container.parentElement.querySelector("[data-graph-card]");
    renderer.on("clickNode", (event) => fillCard(card, graph.getNodeAttributes(event.node)));
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-graph]").forEach(init);
  });
})();
