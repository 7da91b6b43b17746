// The briefing's article editor (templates/reports/briefing_form.html): add, move and remove
// articles; before the form is sent, the forms are renumbered in page order, so the order on the
// page is the order the service saves (and the PDF prints).
(function () {
  "use strict";
  var list = document.getElementById("articles");
  if (!list) return;
  var prefix = list.dataset.prefix;
  var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  var template = document.getElementById("article-empty");

  function renumber() {
    var forms = list.querySelectorAll(".article-form");
    var pattern = new RegExp(prefix + "-(\\d+|__prefix__)-");
    forms.forEach(function (form, i) {
      form.querySelectorAll("[name], [id], [for]").forEach(function (el) {
        ["name", "id", "for"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) el.setAttribute(attr, value.replace(pattern, prefix + "-" + i + "-"));
        });
      });
    });
    total.value = forms.length;
  }

  document.getElementById("add-article").addEventListener("click", function () {
    var node = template.content.firstElementChild.cloneNode(true);
    list.appendChild(node);
    renumber();
    var title = node.querySelector("input[type=text]");
    if (title) title.focus();
  });

  list.addEventListener("click", function (event) {
    var button = event.target.closest("[data-article]");
    if (!button) return;
    var form = button.closest(".article-form");
    if (button.dataset.article === "up" && form.previousElementSibling) {
      list.insertBefore(form, form.previousElementSibling);
    } else if (button.dataset.article === "down" && form.nextElementSibling) {
      list.insertBefore(form.nextElementSibling, form);
    }
    renumber();
  });

  list.addEventListener("change", function (event) {
    if (event.target.name && /-DELETE$/.test(event.target.name)) {
      event.target.closest(".article-form").classList.toggle("opacity-50", event.target.checked);
    }
  });

  list.closest("form").addEventListener("submit", renumber);
})();
