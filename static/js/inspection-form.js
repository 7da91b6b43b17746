/* The field inspection form: a failed item offers "register a hazard"; the locate button fills
   the hidden latitude/longitude. Messages from data-* attributes of #locate-button. */
(function () {
  document.querySelectorAll(".sc-item").forEach(function (item) {
    var hazard = item.querySelector(".sc-hazard");
    var toggle = item.querySelector(".sc-hazard-toggle");
    var fields = item.querySelector(".sc-hazard-fields");
    if (!hazard || !toggle || !fields) return;
    item.querySelectorAll(".sc-result").forEach(function (radio) {
      radio.addEventListener("change", function () {
        hazard.hidden = radio.value !== "nonconform";
        if (hazard.hidden) { toggle.checked = false; fields.hidden = true; }
      });
    });
    toggle.addEventListener("change", function () { fields.hidden = !toggle.checked; });
  });
  var button = document.getElementById("locate-button");
  if (!button) return;
  button.addEventListener("click", function () {
    var status = document.getElementById("locate-status");
    if (!navigator.geolocation) { status.textContent = button.dataset.msgUnsupported; return; }
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("id_latitude").value = pos.coords.latitude.toFixed(6);
      document.getElementById("id_longitude").value = pos.coords.longitude.toFixed(6);
      status.textContent = pos.coords.latitude.toFixed(5) + ", " + pos.coords.longitude.toFixed(5);
    }, function () { status.textContent = button.dataset.msgFailed; });
  });
})();
