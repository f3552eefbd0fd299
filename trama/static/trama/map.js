// The map of neighbourhoods and places, on the base of trama/basemap.js: pilot neighbourhoods
// stand out and are named, places are dots with a popup linking to their page.
window.TramaMap.open("mappa", function (base) {
  "use strict";

  var data = base.data;
  var element = window.TramaMap.element;

  var map = base.start();
  if (!data.tileUrl) {
    base.showError(false);
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

  base
    .drawNeighbourhoods({
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
    })
    .then(function () {
      return window.TramaMap.getJSON(data.placesUrl);
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
    .catch(base.fail);
});
