// Dashboard and public progress charts: progressive enhancement over the tables below them.
// Each hidden <div data-chart="stacked-bar" data-source="ID"> reads {categories, series: [{name, colour, data}]}
// from the json_script element ID; once drawn, the table under it (details[data-chart-table]) folds away.
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  var charts = [];
  function labelRotation(holder, count) {
    if (holder.clientWidth && holder.clientWidth < 576) { return count > 3 ? 45 : 0; }
    return count > 6 ? 30 : 0;
  }
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
      xAxis: {
        type: "category", data: data.categories,
        // Every city's name where it fits; turned further on a narrow card (a phone), never overlapping.
        axisLabel: { interval: 0, hideOverlap: true, rotate: labelRotation(holder, data.categories.length) }
      },
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
  // The chart follows its card: a window resize, a phone turned, the page laid out for printing.
  function fit() {
    charts.forEach(function (chart) {
      var holder = chart.getDom();
      var count = (chart.getOption().xAxis[0].data || []).length;
      chart.setOption({ xAxis: { axisLabel: { rotate: labelRotation(holder, count) } } });
      chart.resize();
    });
  }
  window.addEventListener("resize", fit);
  window.addEventListener("beforeprint", fit);
  window.addEventListener("afterprint", fit);
  if (typeof ResizeObserver !== "undefined") {
    var observer = new ResizeObserver(fit);
    charts.forEach(function (chart) { observer.observe(chart.getDom()); });
  }
}());
