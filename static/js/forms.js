/* Every POST form saves once: it gets a one-time token (when the server did not render one),
   and its submit buttons are disabled while it is being sent (safecommunity OnceTokenMiddleware). */
(function () {
  function token() {
    if (window.crypto && window.crypto.getRandomValues) {
      var a = new Uint32Array(4); window.crypto.getRandomValues(a);
      return Array.prototype.map.call(a, function (n) { return n.toString(36); }).join("");
    }
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll('form[method="post"], form[method="POST"]').forEach(function (form) {
      if (!form.querySelector('input[name="_once"]')) {
        var input = document.createElement("input");
        input.type = "hidden"; input.name = "_once"; input.value = token();
        form.appendChild(input);
      }
    });
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.submitting) { event.preventDefault(); return; }
    form.dataset.submitting = "1";
    /* A disabled button is left out of what the form sends: the button that was pressed
       (name="action" value="verify_pass") is kept as a hidden field first. */
    var pressed = event.submitter;
    if (pressed && pressed.name) {
      var keep = document.createElement("input");
      keep.type = "hidden"; keep.name = pressed.name; keep.value = pressed.value;
      form.appendChild(keep);
    }
    form.querySelectorAll('button[type="submit"], button:not([type]), input[type="submit"]').forEach(function (b) {
      b.disabled = true; b.setAttribute("aria-busy", "true");
    });
  });
  /* Back from the browser cache: the form may be sent again (with its same token). */
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submitting]").forEach(function (form) {
      delete form.dataset.submitting;
      form.querySelectorAll("button, input[type=submit]").forEach(function (b) { b.disabled = false; });
    });
  });
})();
