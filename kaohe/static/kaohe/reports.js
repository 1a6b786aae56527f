// A report page: draw its chart with ECharts (served from this site) and sort the table by a header click.
// The chart's data comes from a <script type="application/json">: the CSP allows no inline script.
(function () {
  "use strict";

  var palette = ["#3b6ea5", "#c0504d", "#9bbb59", "#8064a2", "#f79646", "#4bacc6"];

  // Bars: one per unit, coloured by its group.
  function barOption(spec) {
    var groups = [];
    spec.series.forEach(function (name) { if (groups.indexOf(name) < 0) groups.push(name); });
    return {
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
    };
  }

  // Units (rows, top to bottom as in the table) × items: a cell where points were lost, darker for more.
  function heatmapOption(spec) {
    var most = spec.cells.reduce(function (m, cell) { return Math.max(m, Number(cell[2])); }, 0);
    return {
      tooltip: {
        formatter: function (p) {
          return spec.y[p.value[1]] + " · " + spec.x[p.value[0]] + " " + spec.x_names[p.value[0]] + ": " + p.value[2];
        },
      },
      grid: { left: 96, right: 16, bottom: 72, top: 40 },
      xAxis: { type: "category", data: spec.x, splitArea: { show: true }, axisLabel: { rotate: 60, interval: 0 } },
      yAxis: { type: "category", data: spec.y, inverse: true, splitArea: { show: true } },
      visualMap: { min: 0, max: most || 1, calculable: false, show: false, inRange: { color: ["#fde0dd", "#c0504d"] } },
      // A white border sets each cell apart (and marks it among the SVG's paths: the grid's bands have none).
      series: [{ type: "heatmap", name: spec.title, data: spec.cells.map(function (c) { return [c[0], c[1], Number(c[2])]; }),
                 label: { show: true, fontSize: 10 }, itemStyle: { borderColor: "#ffffff", borderWidth: 1 } }],
    };
  }

  // One unit's categories against its group's average.
  function radarOption(spec) {
    return {
      tooltip: {},
      legend: { bottom: 0, data: spec.series.map(function (s) { return s.name; }) },
      radar: { indicator: spec.indicators.map(function (i) { return { name: i.name, max: Number(i.max) }; }),
               center: ["50%", "55%"], radius: "60%", axisName: { fontSize: 10 } },
      series: [{
        type: "radar", name: spec.title,
        data: spec.series.map(function (s, i) {
          return { name: s.name, value: s.values.map(Number), itemStyle: { color: palette[i % palette.length] } };
        }),
      }],
    };
  }

  // A unit's score by month; the month the report is read as of is marked.
  function lineOption(spec) {
    return {
      tooltip: { trigger: "axis" },
      grid: { left: 48, right: 16, bottom: 40, top: 56 },
      xAxis: { type: "category", data: spec.categories },
      yAxis: { type: "value", min: function (range) { return Math.floor(range.min) - 1; } },
      series: [{
        type: "line", name: spec.series, itemStyle: { color: palette[0] }, symbolSize: 7,
        data: spec.values.map(function (v) { return v === null ? null : Number(v); }),
        markLine: spec.mark ? { symbol: "none", silent: true, data: [{ xAxis: String(spec.mark) }] } : undefined,
      }],
    };
  }

  var OPTIONS = { bar: barOption, heatmap: heatmapOption, radar: radarOption, line: lineOption };

  function drawChart() {
    var data = document.getElementById("report-chart-data");
    var box = document.getElementById("report-chart");
    if (!data || !box || !window.echarts) return;
    var spec = JSON.parse(data.textContent);
    var build = OPTIONS[spec.kind];
    if (!build) return;
    if (spec.kind === "heatmap") box.style.height = Math.max(240, 80 + 28 * spec.y.length) + "px";
    // SVG, not canvas: every bar or cell is an element a test (or a screen reader's tree) can count.
    var chart = window.echarts.init(box, null, { renderer: "svg" });
    var option = build(spec);
    option.animation = false;
    option.title = { text: spec.title, left: "center", textStyle: { fontSize: 14 } };
    chart.setOption(option);
    box.dataset.kind = spec.kind;
    if (spec.kind === "bar") box.dataset.bars = String(spec.values.length);
    if (spec.kind === "heatmap") box.dataset.cells = String(spec.cells.length);
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
