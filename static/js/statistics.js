/* Incident statistics: monthly trend, this year (bars) against last year (lines).
   Data: <script type="application/json" id="chart-data"> (json_script); series names from the
   chart element's data-name-* attributes (translated by the template). */
(function () {
  var el = document.getElementById("trend-chart");
  var source = document.getElementById("chart-data");
  if (!window.echarts || !el || !source) return;
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(el);
  var y = data.year, t = data.trend;
  var names = {incidents: el.dataset.nameIncidents, deaths: el.dataset.nameDeaths, injuries: el.dataset.nameInjuries};
  var series = [];
  ["incidents", "deaths", "injuries"].forEach(function (k) {
    series.push({name: names[k] + " " + y, type: "bar", data: t[k].current});
    series.push({name: names[k] + " " + (y - 1), type: "line", data: t[k].previous});
  });
  chart.setOption({
    tooltip: {trigger: "axis"}, legend: {type: "scroll"}, grid: {left: 40, right: 10, bottom: 30},
    xAxis: {type: "category", data: data.months}, yAxis: {type: "value", minInterval: 1}, series: series
  });
  el.dataset.rendered = "1";
  window.addEventListener("resize", function () { chart.resize(); });
})();
