// Renders every <div data-chart="ID"> with the ECharts option built from json_script #ID.
(function () {
  "use strict";
  // Bar labels as the tables print them: grouped thousands, the decimals the data was
  // rounded to on the server (never 105.3975).
  function labelOf(decimals) {
    var places = typeof decimals === "number" ? decimals : 2;
    return function (p) {
      return p.value === null || p.value === undefined ? "" : Number(p.value).toLocaleString("zh-CN", { minimumFractionDigits: places, maximumFractionDigits: places });
    };
  }
  function build(kind, data) {
    if (kind === "negative-lists") {
      return {
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 40, right: 20, bottom: 30, top: 40 },
        xAxis: { type: "category", data: data.years },
        yAxis: { type: "value", name: data.unit },
        series: data.series.map(function (s) {
          return { name: s.name, type: "line", data: s.data, connectNulls: true, label: { show: true } };
        }),
      };
    }
    if (kind === "rate-history") {
      // Starts where the data starts; a single month is a labelled point, not an empty axis.
      return {
        animation: false,
        tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null ? "—" : v + "%"; } },
        grid: { left: 44, right: 20, bottom: 30, top: 24 },
        xAxis: { type: "category", data: data.map(function (r) { return r.day; }) },
        yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
        series: [{
          type: "line",
          data: data.map(function (r) { return r.rate; }),
          connectNulls: true,
          symbolSize: 8,
          label: { show: data.length <= 12, formatter: "{c}%", position: "top" },
        }],
      };
    }
    if (kind === "timeline") {
      return {
        // Names are data, never markup: escaped before ECharts puts them into the tooltip.
        tooltip: { trigger: "item", formatter: function (p) { return window.echarts.format.encodeHTML(p.data.zones.join("、")); } },
        grid: { left: 40, right: 20, bottom: 30, top: 20 },
        xAxis: { type: "category", data: data.map(function (b) { return b.year; }) },
        yAxis: { type: "value", name: data.unitLabel, minInterval: 1 },
        series: [{
          type: "bar",
          label: { show: true, position: "top" },
          data: data.map(function (b) { return { value: b.zones.length, zones: b.zones }; }),
        }],
      };
    }
    if (kind === "bench-series") {
      return {
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 50, right: 20, bottom: 30, top: 40 },
        xAxis: { type: "category", data: data.years },
        yAxis: { type: "value", name: data.unit },
        series: data.lines.map(function (s) {
          return { name: s.name, type: "line", data: s.data, connectNulls: false };
        }),
      };
    }
    if (kind === "bench-bars") {
      return {
        tooltip: { trigger: "axis" },
        grid: { left: 50, right: 20, bottom: 60, top: 30 },
        xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: 20 } },
        yAxis: { type: "value", name: data.unit },
        series: [{ type: "bar", data: data.values, label: { show: true, position: "top", formatter: labelOf(data.decimals) } }],
      };
    }
    if (kind === "bench-radar") {
      // Drawn on polar axes, not ECharts' radar: the radar puts an unknown value at the centre,
      // where it reads as the worst score. Here an unknown value is no vertex; the outline
      // joins the known ones and the page names what is left out.
      var names = data.indicators.map(function (i) { return i.name; });
      // Long names on two lines, so neighbouring labels do not run into each other.
      var wrapped = names.map(function (n) { var h = Math.ceil(n.length / 2); return n.length > 6 ? n.slice(0, h) + "\n" + n.slice(h) : n; });
      var step = 360 / names.length;
      return {
        animation: false,
        tooltip: { trigger: "item", formatter: function (p) { return p.seriesName + "：" + names[Math.round(p.value[1] / step) % names.length] + " " + p.value[0]; } },
        legend: { top: 0 },
        polar: { radius: "66%", center: ["50%", "55%"] },
        angleAxis: {
          type: "value", min: 0, max: 360, interval: step, startAngle: 90, clockwise: true,
          axisLabel: { formatter: function (v) { return v >= 360 ? "" : wrapped[Math.round(v / step)]; }, fontSize: 11, lineHeight: 14 },
          splitLine: { show: true },
        },
        radiusAxis: { min: 0, max: 100, interval: 25, axisLabel: { fontSize: 9, color: "#888" } },
        series: data.series.map(function (s) {
          var points = [];
          s.value.forEach(function (v, k) { if (v !== null) { points.push([v, k * step]); } });
          if (points.length) { points.push(points[0]); }
          return { name: s.name, type: "line", coordinateSystem: "polar", data: points, symbolSize: 5 };
        }),
      };
    }
    if (kind === "index-bars") {
      return {
        tooltip: { trigger: "axis" },
        grid: { left: 50, right: 20, bottom: 60, top: 20 },
        xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: 20 } },
        yAxis: { type: "value" },
        series: [{ type: "bar", data: data.values, label: { show: true, position: "top" } }],
      };
    }
    return null;
  }
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var source = document.getElementById(el.dataset.chart);
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    if (!data) { return; }
    var option = build(el.dataset.kind, data);
    if (!option) { return; }
    // The Content-Security-Policy allows no inline styles, which HTML tooltips are made of:
    // tooltips are drawn on the chart's canvas instead.
    if (option.tooltip) { option.tooltip.renderMode = "richText"; }
    var chart = window.echarts.init(el);
    chart.setOption(option);
    el.dataset.rendered = "true";
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
