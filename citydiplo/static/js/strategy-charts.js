/* The strategy pages' Vega-Lite charts (the SDG alignment chart).
 *
 * Same approach as charts.js (spec in a <script type="application/json">, Vega's AST interpreter because
 * the Content-Security-Policy forbids eval), plus one option charts.js lacks so far: vega-embed's tooltip
 * handler injects a <style> element unless told not to, which the CSP ('style-src self') blocks and
 * reports as an error. The tooltip's look comes from strategy.css instead. Elements use their own
 * attribute (data-strategy-chart) so the shared charts.js and this file never draw the same element.
 */
(function () {
  "use strict";

  function draw(element) {
    if (element.dataset.chartDrawn) return;
    var source = document.getElementById(element.dataset.strategyChart);
    if (!source || !window.vegaEmbed) return;
    element.dataset.chartDrawn = "1";
    window
      .vegaEmbed(element, JSON.parse(source.textContent), {
        ast: true,
        expr: window.vega.expressionInterpreter,
        actions: false,
        defaultStyle: false,
        renderer: "svg",
        tooltip: { disableDefaultStyle: true },
      })
      .catch(function (error) {
        element.textContent = element.dataset.chartError || "The chart could not be drawn.";
        console.error(error);
      });
  }

  function drawAll(root) {
    root.querySelectorAll("[data-strategy-chart]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawAll(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    drawAll(event.target);
  });
})();
