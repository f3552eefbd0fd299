// The pin of a place's form: a click on the map writes the coordinates into the form's fields,
// and typed coordinates move the pin. Without JavaScript the fields alone do the work.
window.TramaMap.open("mappa-punto", function (base) {
  "use strict";

  var lat = document.getElementById("id_lat");
  var lon = document.getElementById("id_lon");
  var map = base.start();
  var pin = null;

  function place(latlng) {
    if (pin) {
      pin.setLatLng(latlng);
    } else {
      pin = L.circleMarker(latlng, { radius: 9, color: "#fff", weight: 2, fillColor: "#d9364f", fillOpacity: 1 }).addTo(map);
    }
  }

  function fromFields() {
    var a = parseFloat(lat.value);
    var b = parseFloat(lon.value);
    if (isFinite(a) && isFinite(b) && Math.abs(a) <= 90 && Math.abs(b) <= 180) {
      place([a, b]);
      return true;
    }
    return false;
  }

  map.on("click", function (event) {
    lat.value = event.latlng.lat.toFixed(6);
    lon.value = event.latlng.lng.toFixed(6);
    place(event.latlng);
  });
  lat.addEventListener("change", fromFields);
  lon.addEventListener("change", fromFields);

  base
    .drawNeighbourhoods({
      style: { color: "#5c6f82", weight: 1, fillOpacity: 0.05 },
      onEachFeature: function (feature, shape) {
        shape.bindTooltip(feature.properties.name);
        // A click on a neighbourhood is a click on the map: the pin goes there.
        shape.on("click", function (event) {
          map.fire("click", event);
        });
      },
    })
    .then(function () {
      if (fromFields()) {
        map.setView(pin.getLatLng(), 16);
      }
    })
    .catch(base.fail);
});
