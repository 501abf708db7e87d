// Calculator page: remember which input tab is active, and draw the emissions-by-source chart.
(function () {
  "use strict";
  document.querySelectorAll("[data-mode]").forEach(function (tab) {
    tab.addEventListener("shown.bs.tab", function () {
      document.getElementById("id_mode").value = tab.dataset.mode;
    });
  });
  var holder = document.getElementById("emissions-chart");
  var data = document.getElementById("chart-data");
  if (!holder || !data || typeof echarts === "undefined") { return; }
  var bySource = JSON.parse(data.textContent);
  var labelNode = document.getElementById("source-labels");
  var labels = labelNode ? JSON.parse(labelNode.textContent) : {};
  // A value as the server wrote it (its own decimals), its whole part grouped: 11439.97 → 11,439.97.
  function grouped(text) {
    var parts = String(text).split(".");
    parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return parts.join(".");
  }
  var chart = echarts.init(holder, null, { renderer: "svg" });
  chart.setOption({
    tooltip: {
      trigger: "item",
      formatter: function (item) {
        return echarts.format.encodeHTML(item.name) + ": " + grouped(item.data.text) + " tCO2 (" + item.percent + "%)";
      }
    },
    legend: { bottom: 0, type: "scroll" },
    series: [{
      type: "pie", radius: ["35%", "65%"], center: ["50%", "42%"], label: { show: false },
      data: Object.keys(bySource).filter(function (k) { return Number(bySource[k]) > 0; })
        .map(function (k) { return { name: labels[k] || k, value: Number(bySource[k]), text: bySource[k] }; })
    }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
}());

(function () {
  "use strict";
  // The blank form: "Add a row" appends a copy of the formset's empty row and counts it.
  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    button.addEventListener("click", function () {
      var prefix = button.dataset.addRow;
      var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
      var empty = document.getElementById("empty-" + prefix);
      var body = document.getElementById("rows-" + prefix);
      if (!total || !empty || !body) { return; }
      body.insertAdjacentHTML("beforeend", empty.innerHTML.replace(/__prefix__/g, total.value));
      total.value = String(Number(total.value) + 1);
    });
  });
}());
