// The map of neighbourhoods and places. Everything it needs comes from the data-*
// attributes of #mappa (the CSP allows no inline script); the page already lists
// the same data in a table, so any failure here only shows #mappa-errore.
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
  } else {
    showError(false);
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (response) {
      if (!response.ok) {
        throw new Error(response.status);
      }
      return response.json();
    });
  }

  // Popups and labels are built as DOM nodes, never as HTML strings: names come from users.
  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text) {
      node.textContent = text;
    }
    if (className) {
      node.className = className;
    }
    return node;
  }

  function neighbourhoodStyle(feature) {
    var pilot = feature.properties.is_pilot;
    return {
      color: pilot ? "#0066cc" : "#5c6f82",
      weight: pilot ? 3 : 1,
      fillColor: pilot ? "#0066cc" : "#a9b8c6",
      fillOpacity: pilot ? 0.25 : 0.08,
      dashArray: feature.properties.boundary_is_approximate ? "6 4" : null,
    };
  }

  function neighbourhoodPopup(feature) {
    var p = feature.properties;
    var box = element("div");
    box.appendChild(element("strong", p.name));
    if (p.population !== null) {
      box.appendChild(element("div", p.population.toLocaleString(document.documentElement.lang) + " " + data.labelResidents));
    }
    if (p.is_pilot) {
      box.appendChild(element("div", data.labelPilot));
    }
    return box;
  }

  function placePopup(feature) {
    var p = feature.properties;
    var box = element("div");
    var link = element("a", p.name);
    link.href = p.url;
    box.appendChild(element("strong")).appendChild(link);
    box.appendChild(element("div", p.kind_label + " · " + p.neighbourhood));
    if (p.address) {
      box.appendChild(element("div", p.address));
    }
    if (p.location_is_approximate) {
      box.appendChild(element("div", data.labelApproximate, "small"));
    }
    return box;
  }

  getJSON(data.neighbourhoodsUrl)
    .then(function (collection) {
      var layer = L.geoJSON(collection, {
        filter: function (feature) {
          return feature.geometry !== null;
        },
        style: neighbourhoodStyle,
        onEachFeature: function (feature, shape) {
          shape.bindTooltip(feature.properties.name, {
            permanent: feature.properties.is_pilot,
            direction: "center",
          });
          shape.bindPopup(function () {
            return neighbourhoodPopup(feature);
          });
        },
      }).addTo(map);
      var bounds = layer.getBounds();
      if (bounds.isValid()) {
        map.fitBounds(bounds);
      }
      return getJSON(data.placesUrl);
    })
    .then(function (collection) {
      L.geoJSON(collection, {
        filter: function (feature) {
          return feature.geometry !== null;
        },
        pointToLayer: function (feature, latlng) {
          // circleMarker needs no icon images (Leaflet's default marker would).
          return L.circleMarker(latlng, { radius: 8, color: "#fff", weight: 2, fillColor: "#d9364f", fillOpacity: 1 });
        },
        onEachFeature: function (feature, marker) {
          marker.bindPopup(function () {
            return placePopup(feature);
          });
        },
      }).addTo(map);
    })
    .catch(function () {
      showError(false);
    });
})();
