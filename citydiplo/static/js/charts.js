/* Vega-Lite charts drawn in the browser from the app's own files (no CDN).
 *
 * A chart is an element with data-chart="ID", where ID names a <script type="application/json" id="ID">
 * holding the Vega-Lite spec (data inline in the spec): the server renders both, so the page needs no
 * inline script. The Content-Security-Policy forbids eval, which Vega's default expression parser
 * uses, hence `ast: true` with vega-interpreter's expression evaluator. vega-embed's default style sheet
 * and action menu are off: both would need inline styles and the menu links to an external editor. The
 * tooltip's default style sheet too (disableDefaultStyle): its rules are in css/charts.css instead.
 * Charts inside content swapped in by HTMX are drawn when it settles.
 */
(function () {
  "use strict";

  function draw(element) {
    if (element.dataset.chartDrawn) return;
    var source = document.getElementById(element.dataset.chart);
    if (!source) return;
    element.dataset.chartDrawn = "1";
    var spec = JSON.parse(source.textContent);
    window
      .vegaEmbed(element, spec, {
        ast: true,
        expr: window.vega.expressionInterpreter,
        actions: false,
        defaultStyle: false,
        renderer: element.dataset.renderer || "svg",
        tooltip: { disableDefaultStyle: true },
      })
      .catch(function (error) {
        element.textContent = element.dataset.chartError || "The chart could not be drawn.";
        console.error(error);
      });
  }

  function drawAll(root) {
    root.querySelectorAll("[data-chart]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawAll(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    drawAll(event.target);
  });
})();
