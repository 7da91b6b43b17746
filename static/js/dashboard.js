/* Dashboard charts. Data: <script type="application/json" id="dashboard-data"> (json_script);
   series names from data-* attributes of #dashboard-charts (translated by the template). */
(function () {
  var source = document.getElementById("dashboard-data");
  var box = document.getElementById("dashboard-charts");
  if (!window.echarts || !source || !box) return;
  var d = JSON.parse(source.textContent);
  var font = {fontFamily: '"Noto Sans CJK SC", system-ui, sans-serif'};
  // Width of a label in px at 12 px: CJK characters are square, Latin letters about half.
  function textWidth(s) { var w = 0; for (var i = 0; i < s.length; i++) w += s.charCodeAt(i) > 0x2e80 ? 12 : 7; return w; }
  function bar(id, names, series) {
    var el = document.getElementById(id); if (!el) return;
    // Each category has a slot of the plot's width. When a name does not fit its slot (long
    // English names such as "Industrial and construction site"), the bars lie down: names on the
    // left, one per row, never on top of each other; a name longer than 120 px is cut with "…"
    // (the full name is in the tooltip). containLabel keeps every label inside the chart.
    var slot = Math.max(24, (el.clientWidth - 60) / Math.max(1, names.length));
    var widest = names.reduce(function (m, n) { return Math.max(m, textWidth(String(n))); }, 0);
    var lying = widest > slot - 4;
    var categories = {type: "category", data: names, inverse: lying,
                      axisLabel: lying ? {width: 120, overflow: "truncate"} : {interval: 0, width: slot - 4, overflow: "truncate"}};
    var values = {type: "value", minInterval: 1};
    echarts.init(el, null, {renderer: "svg"}).setOption({textStyle: font, tooltip: {trigger: "axis"}, legend: {top: 0},
      grid: {left: 10, right: 16, top: 30, bottom: 6, containLabel: true},
      xAxis: lying ? values : categories, yAxis: lying ? categories : values, series: series});
    el.dataset.rendered = "1";
    el.dataset.layout = lying ? "horizontal" : "vertical";
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
