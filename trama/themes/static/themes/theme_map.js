// A theme's map: neighbourhoods shaded by how many of the theme's texts they hold. The counts come
// from data-counts on #mappa (already suppressed on the server where needed; null = hidden); the
// page lists the same numbers in a table, so any failure here only shows #mappa-errore.
(function () {
  "use strict";

  var container = document.getElementById("mappa");
  var notice = document.getElementById("mappa-errore");
  if (!container) {
    return;
  }
  var data = container.dataset;

  function showError(hideMap) {
    if (notice) {
      notice.hidden = false;
    }
    if (hideMap) {
      container.hidden = true;
    }
  }

  if (typeof window.L === "undefined") {
    showError(true);
    return;
  }

  var counts = {};
  try {
    counts = JSON.parse(data.counts || "{}");
  } catch (error) {
    showError(true);
    return;
  }
  var highest = 0;
  Object.keys(counts).forEach(function (key) {
    if (typeof counts[key] === "number" && counts[key] > highest) {
      highest = counts[key];
    }
  });

  var map = L.map(container, { scrollWheelZoom: false });
  map.setView([parseFloat(data.centreLat), parseFloat(data.centreLon)], 12);
  if (data.tileUrl) {
    var tiles = L.tileLayer(data.tileUrl, { attribution: data.attribution, maxZoom: 19 });
    var warned = false;
    tiles.on("tileerror", function () {
      if (!warned) {
        warned = true;
        showError(false);
      }
    });
    tiles.addTo(map);
  }

  function label(feature) {
    var value = counts[String(feature.id)];
    var text = value === null || value === undefined ? data.labelHidden : value + " " + data.labelItems;
    // A DOM node, never an HTML string: names come from users.
    var node = document.createElement("span");
    node.textContent = feature.properties.name + ": " + text;
    return node;
  }

  function style(feature) {
    var value = counts[String(feature.id)];
    var share = typeof value === "number" && highest > 0 ? value / highest : 0;
    return {
      color: "#0066cc",
      weight: 1,
      fillColor: value === null ? "#a9b8c6" : "#0066cc",
      fillOpacity: value === null ? 0.15 : 0.05 + 0.6 * share,
      dashArray: value === null ? "4 4" : null,
    };
  }

  fetch(data.neighbourhoodsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) {
        throw new Error(response.status);
      }
      return response.json();
    })
    .then(function (collection) {
      var layer = L.geoJSON(collection, {
        filter: function (feature) {
          return feature.geometry !== null && Object.prototype.hasOwnProperty.call(counts, String(feature.id));
        },
        style: style,
        onEachFeature: function (feature, shape) {
          shape.bindTooltip(label(feature), { direction: "center" });
        },
      }).addTo(map);
      var bounds = layer.getBounds();
      if (bounds.isValid()) {
        map.fitBounds(bounds);
      }
    })
    .catch(function () {
      showError(false);
    });
})();
