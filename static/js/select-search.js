/* Long drop-downs (a county's ~220 units, every village) become searchable with Tom Select:
   type part of a name, pinyin initials are not needed. A select opts out with data-no-search;
   short lists stay native (better on phones). */
(function () {
  "use strict";
  var MIN_OPTIONS = 15;
  var lang = (document.documentElement.lang || "zh-hans").toLowerCase();
  var text = lang.indexOf("zh") === 0
    ? { none: "没有匹配的选项", add: "添加" }
    : { none: "No matching option", add: "Add" };

  function enhance(root) {
    if (typeof window.TomSelect === "undefined") { return; }
    root.querySelectorAll("select").forEach(function (el) {
      if (el.tomselect || el.hasAttribute("data-no-search") || el.options.length < MIN_OPTIONS) { return; }
      var options = {
        maxOptions: null,
        allowEmptyOption: true,
        plugins: el.multiple ? ["remove_button"] : [],
        render: { no_results: function () { return '<div class="no-results">' + text.none + "</div>"; } }
      };
      new window.TomSelect(el, options);
      el.setAttribute("data-searchable", "true");
    });
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:afterSwap", function (event) { enhance(event.target); });
})();
