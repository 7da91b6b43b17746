/* Small behaviours every page may use, bound from data-* attributes (the Content-Security-Policy
   allows no inline scripts nor on*= handlers):
   <select data-autosubmit>        submits its form when changed;
   <form data-confirm="text">      asks before submitting;
   <button data-confirm="text">    asks before submitting with that button (销号 among other moves);
   <a data-history-back>           goes back one page (falls back to its href). */
(function () {
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-autosubmit]") && el.form) {
      if (el.form.requestSubmit) { el.form.requestSubmit(); } else { el.form.submit(); }
    }
  });
  /* Capture phase: runs before forms.js marks the form as being sent. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var question = (button && button.dataset && button.dataset.confirm) || (form.dataset && form.dataset.confirm);
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-history-back]");
    if (link && window.history.length > 1) { event.preventDefault(); window.history.back(); }
  });
})();
