// A theme's map, on the base of trama/basemap.js: neighbourhoods shaded by how many of the
// theme's texts they hold. The counts come from data-counts on #mappa (already suppressed on
// the server where needed; null = hidden), and the page lists the same numbers in a table.
window.TramaMap.open("mappa", function (base) {
  "use strict";

  var data = base.data;

  var counts = {};
  try {
    counts = JSON.parse(data.counts || "{}");
  } catch (error) {
    base.showError(true);
    return;
  }
  var highest = 0;
  Object.keys(counts).forEach(function (key) {
    if (typeof counts[key] === "number" && counts[key] > highest) {
      highest = counts[key];
    }
  });

  base.start();

  function label(feature) {
    var value = counts[String(feature.id)];
    var text = value === null || value === undefined ? data.labelHidden : value + " " + data.labelItems;
    return window.TramaMap.element("span", feature.properties.name + ": " + text);
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

  base
    .drawNeighbourhoods({
      filter: function (feature) {
        return Object.prototype.hasOwnProperty.call(counts, String(feature.id));
      },
      style: style,
      onEachFeature: function (feature, shape) {
        shape.bindTooltip(label(feature), { direction: "center" });
      },
    })
    .catch(base.fail);
});
