/* Dashboard charts. Data: <script type="application/json" id="dashboard-data"> (json_script);
   series names from data-* attributes of #dashboard-charts (translated by the template). */
(function () {
  var source = document.getElementById("dashboard-data");
  var box = document.getElementById("dashboard-charts");
  if (!window.echarts || !source || !box) return;
  var d = JSON.parse(source.textContent);
  var font = {fontFamily: '"Noto Sans CJK SC", system-ui, sans-serif'};
  function bar(id, names, series) {
    var el = document.getElementById(id); if (!el) return;
    echarts.init(el).setOption({textStyle: font, tooltip: {trigger: "axis"}, legend: {top: 0}, grid: {left: 40, right: 10, top: 30, bottom: 40},
      xAxis: {type: "category", data: names, axisLabel: {interval: 0, rotate: names.length > 6 ? 30 : 0}}, yAxis: {type: "value", minInterval: 1}, series: series});
    el.dataset.rendered = "1";
  }
  function first(rows) { return rows.map(function (r) { return r[0]; }); }
  function second(rows) { return rows.map(function (r) { return r[1]; }); }
  var count = box.dataset.nameCount;
  bar("chart-trend", d.months, [{name: box.dataset.namePrevious, type: "bar", data: d.previous, itemStyle: {color: "#9aa5b1"}},
                                {name: box.dataset.nameCurrent, type: "bar", data: d.current, itemStyle: {color: "#c00000"}}]);
  bar("chart-cause", first(d.cause), [{name: count, type: "bar", data: second(d.cause), itemStyle: {color: "#0b4f8a"}}]);
  bar("chart-place", first(d.place), [{name: count, type: "bar", data: second(d.place), itemStyle: {color: "#e08a00"}}]);
  bar("chart-age", first(d.age), [{name: count, type: "bar", data: second(d.age), itemStyle: {color: "#2e7d32"}}]);
})();
