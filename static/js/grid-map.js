/* Grid coverage map (Leaflet, no tiles: the grids' outlines only), coloured by hazards (red:
   overdue, orange: open, green: none), each popup with the grid's open hazards and injuries.
   Data: <script type="application/json" id="grid-features"> (json_script). */
(function () {
  var source = document.getElementById("grid-features");
  var el = document.getElementById("grid-map");
  if (!window.L || !source || !el) return;
  var features = JSON.parse(source.textContent);
  var map = L.map(el, {attributionControl: false});
  var layer = L.featureGroup().addTo(map);
  features.forEach(function (f) {
    var colour = f.overdue ? "#dc3545" : (f.open ? "#fd7e14" : "#198754");
    var popup = document.createElement("div");
    var link = document.createElement("a");
    link.href = f.url; link.textContent = f.name;
    popup.appendChild(link);
    if (f.label) {
      var note = document.createElement("div");
      note.className = "small"; note.textContent = f.label;
      popup.appendChild(note);
    }
    var weight = f.injuries ? Math.min(2 + f.injuries, 6) : 2;  /* thicker where people got hurt */
    L.geoJSON(f.geometry, {style: {color: colour, weight: weight, fillOpacity: 0.25}}).bindPopup(popup).addTo(layer);
  });
  if (layer.getLayers().length) { map.fitBounds(layer.getBounds()); } else { map.setView([35.2, 115.4], 11); }
  el.dataset.rendered = "1";
})();
