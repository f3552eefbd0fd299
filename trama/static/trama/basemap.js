// What every map of Trama shares: a Leaflet map on a container whose data-* attributes
// say where it is (the CSP allows no inline script), the tile background, the
// neighbourhoods drawn from the territory API, and #mappa-errore shown whenever any of it
// fails. Each page lists the same data in a table, so a failure costs only the picture.
// Load after leaflet.js and before the page's own script, which uses window.TramaMap.
(function () {
  "use strict";

  // Popups, tooltips and legends are built as DOM nodes, never as HTML strings: names come from users.
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

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (response) {
      if (!response.ok) {
        throw new Error(response.status);
      }
      return response.json();
    });
  }

  function BaseMap(container) {
    this.container = container;
    this.data = container.dataset;
    this.notice = document.getElementById("mappa-errore");
    this.map = null;
    // For a promise's catch: the map keeps what it could draw and the notice says the rest failed.
    this.fail = this.showError.bind(this, false);
  }

  BaseMap.prototype.showError = function (hideMap) {
    if (this.notice) {
      this.notice.hidden = false;
    }
    if (hideMap) {
      this.container.hidden = true;
    }
  };

  // The Leaflet map, centred on the city, with the tile background when one is configured.
  BaseMap.prototype.start = function () {
    var self = this;
    var data = this.data;
    this.map = L.map(this.container, { scrollWheelZoom: false });
    this.map.setView([parseFloat(data.centreLat), parseFloat(data.centreLon)], 12);
    if (data.tileUrl) {
      var tiles = L.tileLayer(data.tileUrl, { attribution: data.attribution, maxZoom: 19 });
      var warned = false;
      tiles.on("tileerror", function () {
        if (!warned) {
          warned = true;
          self.showError(false);
        }
      });
      tiles.addTo(this.map);
    }
    return this.map;
  };

  // Draws the neighbourhoods that have a boundary (and pass options.filter, when given) with
  // options.style and options.onEachFeature, then frames them. Resolves to the GeoJSON layer.
  BaseMap.prototype.drawNeighbourhoods = function (options) {
    var map = this.map;
    return getJSON(this.data.neighbourhoodsUrl).then(function (collection) {
      var layer = L.geoJSON(collection, {
        filter: function (feature) {
          return feature.geometry !== null && (!options.filter || options.filter(feature));
        },
        style: options.style,
        onEachFeature: options.onEachFeature,
      }).addTo(map);
      var bounds = layer.getBounds();
      if (bounds.isValid()) {
        map.fitBounds(bounds);
      }
      return layer;
    });
  };

  // Calls draw(base) with the base map of the element with this id, unless the page has no
  // such element or Leaflet did not load (then the notice is shown and the empty container hidden).
  function open(containerId, draw) {
    var container = document.getElementById(containerId);
    if (!container) {
      return;
    }
    var base = new BaseMap(container);
    if (typeof window.L === "undefined") {
      base.showError(true);
      return;
    }
    draw(base);
  }

  window.TramaMap = { open: open, element: element, getJSON: getJSON };
})();
