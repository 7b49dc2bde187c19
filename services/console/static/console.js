// The console's only script of its own (no inline scripts: the pages' CSP forbids them).
// 1. Every htmx request carries the page's CSRF token. 2. Charts are drawn from data-chart.
(function () {
  "use strict";
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRF-Token"] = csrfToken();
  });
  function drawCharts(root) {
    if (typeof echarts === "undefined") { return; }
    root.querySelectorAll("[data-chart]").forEach(function (element) {
      var chart = echarts.getInstanceByDom(element) || echarts.init(element);
      chart.setOption(JSON.parse(element.getAttribute("data-chart")));
    });
  }
  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
  document.addEventListener("htmx:afterSettle", function (event) { drawCharts(event.target); });
  window.addEventListener("resize", function () {
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var chart = typeof echarts === "undefined" ? null : echarts.getInstanceByDom(element);
      if (chart) { chart.resize(); }
    });
  });
})();
