// "Where do I live?" on the public doors: the map opens when asked, and a tap inside a neighbourhood
// chooses it in the form's list (the same list works without the map or without JavaScript). The point
// itself never leaves the browser: only the neighbourhood is sent, as if chosen from the list.
(function () {
  "use strict";

  var container = document.getElementById("mappa-quartiere");
  if (!container) {
    return;
  }
  var details = container.closest("details");
  var select = document.getElementById(container.dataset.select);
  var status = details.querySelector("[role=status][aria-live]");
  var started = false;

  function say(text) {
    status.textContent = text;
  }

  function choose(feature) {
    var id = String(feature.id !== undefined ? feature.id : feature.properties.id);
    var option = Array.prototype.find.call(select.options, function (o) {
      return o.value === id;
    });
    if (!option) {
      say(container.dataset.outside);
      return;
    }
    select.value = id;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    say(container.dataset.chosen + " " + option.textContent);
  }

  function start() {
    if (started) {
      return;
    }
    started = true;
    window.TramaMap.open("mappa-quartiere", function (base) {
      var map = base.start();
      map.on("click", function () {
        say(container.dataset.outside);
      });
      base
        .drawNeighbourhoods({
          style: { color: "#0066cc", weight: 2, fillOpacity: 0.08 },
          onEachFeature: function (feature, shape) {
            shape.bindTooltip(feature.properties.name);
            shape.on("click", function (event) {
              L.DomEvent.stopPropagation(event);
              choose(feature);
            });
          },
        })
        .then(function (layer) {
          // Framed at once (no zoom animation), so that what the person sees is where she taps.
          if (layer.getBounds().isValid()) {
            map.fitBounds(layer.getBounds(), { animate: false });
          }
          container.dataset.ready = "true";
        })
        .catch(base.fail);
    });
  }

  if (!select || !details) {
    return;
  }
  details.addEventListener("toggle", function () {
    if (details.open) {
      start();
    }
  });
})();
