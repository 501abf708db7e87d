// Dashboard and public progress charts: progressive enhancement over the tables below them.
// Each hidden <div data-chart="stacked-bar" data-source="ID"> reads {categories, series: [{name, colour, data}]}
// from the json_script element ID; once drawn, the table under it (details[data-chart-table]) folds away.
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  var charts = [];
  document.querySelectorAll("[data-chart='stacked-bar']").forEach(function (holder) {
    var source = document.getElementById(holder.dataset.source);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    holder.hidden = false;  // shown only where the chart can be drawn: without scripts the table stands alone
    var chart = echarts.init(holder, null, { renderer: "svg" });
    chart.setOption({
      aria: { enabled: true },
      // Drawn in the chart's SVG: the HTML tooltip's colour markers are style="" attributes, which the
      // Content-Security-Policy refuses.
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, renderMode: "richText" },
      legend: { bottom: 0, type: "scroll", itemGap: 16 },
      grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
      xAxis: { type: "category", data: data.categories, axisLabel: { interval: 0, rotate: data.categories.length > 6 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: data.series.map(function (s) {
        return {
          name: s.name, type: "bar", stack: "parks", data: s.data,
          itemStyle: { color: s.colour }, emphasis: { focus: "series" }
        };
      })
    });
    charts.push(chart);
    var table = document.querySelector("details[data-chart-table='" + holder.id + "']");
    if (table) { table.open = false; }
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
}());
