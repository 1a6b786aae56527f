// A report page: draw its chart with ECharts (served from this site) and sort the table by a header click.
// The chart's data comes from a <script type="application/json">: the CSP allows no inline script.
(function () {
  "use strict";

  function drawChart() {
    var data = document.getElementById("report-chart-data");
    var box = document.getElementById("report-chart");
    if (!data || !box || !window.echarts) return;
    var spec = JSON.parse(data.textContent);
    var groups = [];
    spec.series.forEach(function (name) { if (groups.indexOf(name) < 0) groups.push(name); });
    var palette = ["#3b6ea5", "#c0504d", "#9bbb59", "#8064a2", "#f79646", "#4bacc6"];
    // SVG, not canvas: every bar is an element a test (or a screen reader's tree) can count.
    var chart = window.echarts.init(box, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      title: { text: spec.title, left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      grid: { left: 48, right: 16, bottom: 64, top: 40 },
      xAxis: { type: "category", data: spec.categories, axisLabel: { rotate: 30, interval: 0 } },
      // Totals sit close together: start the axis just under the lowest so every bar, the lowest too, shows.
      yAxis: { type: "value", min: function (range) { return Math.floor(range.min) - 1; } },
      series: [{
        type: "bar", name: spec.title,
        data: spec.values.map(function (value, i) {
          return { value: Number(value), itemStyle: { color: palette[groups.indexOf(spec.series[i]) % palette.length] } };
        }),
      }].concat(spec.limits ? [{
        // a limit per bar (a grade's quota as a head count): a red dash across the bar, none where there is none
        type: "scatter", name: "limit", symbol: "rect", symbolSize: [28, 3], itemStyle: { color: "#c00" },
        data: spec.limits.map(function (limit) { return limit === null ? "-" : Number(limit); }),
      }] : []),
    });
    box.dataset.bars = String(spec.values.length);
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function sortable(table) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, index) {
      th.classList.add("sort");
      th.addEventListener("click", function () {
        var ascending = th.dataset.order !== "asc";
        Array.prototype.forEach.call(headers, function (other) { delete other.dataset.order; });
        th.dataset.order = ascending ? "asc" : "desc";
        var numeric = th.dataset.type === "decimal" || th.dataset.type === "int" || th.dataset.type === "bool";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[index], y = b.cells[index];
          var p = x.dataset.sort !== undefined ? x.dataset.sort : x.textContent;
          var q = y.dataset.sort !== undefined ? y.dataset.sort : y.textContent;
          var order;
          if (numeric) {
            // empty cells (no rank: vetoed) sort last either way
            if (p === "" || q === "") return (p === "") - (q === "");
            order = Number(p) - Number(q);
          } else {
            order = p.localeCompare(q, "zh");
          }
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawChart();
    var table = document.getElementById("report-table");
    if (table) sortable(table);
  });
})();
