// The dashboard's map, on the base of trama/basemap.js: each neighbourhood coloured by the
// value of the chosen indicator. The values come from the table beside the map
// (data-neighbourhood, data-value of each row), which stays there when the map fails.
window.TramaMap.open("mappa-indicatori", function (base) {
  "use strict";

  var data = base.data;
  var element = window.TramaMap.element;
  // Five shades of Bootstrap Italia's blue, from low to high.
  var SHADES = ["#d9e8f6", "#a6c8ea", "#5c9ad8", "#0066cc", "#004080"];

  var values = {};
  var numbers = [];
  var table = document.getElementById(data.table);
  if (table) {
    table.querySelectorAll("tr[data-neighbourhood]").forEach(function (row) {
      var text = row.dataset.value;
      var number = text === "" || text === undefined ? null : parseFloat(text);
      values[row.dataset.neighbourhood] = { number: number, shown: row.dataset.shown };
      if (number !== null && !isNaN(number)) {
        numbers.push(number);
      }
    });
  }
  var low = numbers.length ? Math.min.apply(null, numbers) : 0;
  var high = numbers.length ? Math.max.apply(null, numbers) : 0;

  function shade(number) {
    if (high === low) {
      return SHADES[SHADES.length - 1];
    }
    var step = Math.min(SHADES.length - 1, Math.floor(((number - low) / (high - low)) * SHADES.length));
    return SHADES[step];
  }

  var map = base.start();

  function style(feature) {
    var value = values[String(feature.id)];
    var has = value && value.number !== null && !isNaN(value.number);
    return {
      color: "#17324d",
      weight: feature.properties.is_pilot ? 3 : 1,
      fillColor: has ? shade(value.number) : "#ffffff",
      fillOpacity: has ? 0.75 : 0.2,
      dashArray: has ? null : "4 4",
    };
  }

  function tooltip(feature) {
    var value = values[String(feature.id)];
    var box = element("div");
    box.appendChild(element("strong", feature.properties.name));
    box.appendChild(element("div", value ? value.shown : data.labelNoData));
    return box;
  }

  function legend() {
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      var box = element("div", null, "choropleth-legend");
      box.appendChild(element("div", data.labelLegend));
      if (!numbers.length) {
        box.appendChild(element("div", data.labelNoData));
        return box;
      }
      var classes = high === low ? 1 : SHADES.length;
      for (var i = 0; i < classes; i += 1) {
        var from = high === low ? low : low + ((high - low) * i) / SHADES.length;
        var to = high === low ? high : low + ((high - low) * (i + 1)) / SHADES.length;
        var line = element("div");
        var swatch = line.appendChild(element("span", null, "swatch"));
        swatch.style.backgroundColor = high === low ? SHADES[SHADES.length - 1] : SHADES[i];
        line.appendChild(document.createTextNode(
          from.toLocaleString(document.documentElement.lang, { maximumFractionDigits: 1 }) + " – " +
          to.toLocaleString(document.documentElement.lang, { maximumFractionDigits: 1 })));
        box.appendChild(line);
      }
      return box;
    };
    return control;
  }

  base
    .drawNeighbourhoods({
      filter: function (feature) {
        return values[String(feature.id)] !== undefined;
      },
      style: style,
      onEachFeature: function (feature, shape) {
        shape.bindTooltip(function () {
          return tooltip(feature);
        }, { sticky: true });
      },
    })
    .then(function (layer) {
      legend().addTo(map);
      if (!layer.getBounds().isValid()) {
        base.showError(false);
      }
      base.container.dataset.ready = "1";
    })
    .catch(base.fail);
});
