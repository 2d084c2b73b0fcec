// The registry's map component, shared by city pages and network pages.
//
// Markup (registry/_map.html):
//   <div class="map" data-map data-map-source="map-data" data-geojson-url="/static/.../countries-110m.json">
//   <script type="application/json" id="map-data">{"origin": {...} | null, "points": [...], "connect": bool}</script>
// Each point is {name, url, lat, lng, detail}. With "connect", a line joins the origin to every point
// (a city and its twinning partners); without it the points stand alone (a network's members).
//
// There is no tile layer: the Content-Security-Policy allows nothing from another origin, so the world
// is drawn from the bundled Natural Earth TopoJSON (globals L from Leaflet, topojson from topojson-client).
(function () {
  "use strict";

  const SEA = "#dfe9f3";
  const LAND = { color: "#b9c2cc", weight: 0.6, fillColor: "#eef0f2", fillOpacity: 1, interactive: false };
  const ORIGIN = { radius: 8, color: "#0b5fa5", weight: 2, fillColor: "#0b5fa5", fillOpacity: 0.9 };
  const POINT = { radius: 5, color: "#0b5fa5", weight: 1, fillColor: "#ffffff", fillOpacity: 1 };
  const LINE = { color: "#0b5fa5", weight: 1.2, opacity: 0.55, interactive: false };

  function readData(container) {
    const source = document.getElementById(container.dataset.mapSource || "map-data");
    if (!source) return null;
    try {
      return JSON.parse(source.textContent || "null");
    } catch (error) {
      return null;
    }
  }

  // Popups are built as DOM nodes, never HTML strings: names come from user data.
  function popupContent(point) {
    const wrapper = document.createElement("div");
    const name = document.createElement(point.url ? "a" : "strong");
    if (point.url) name.href = point.url;
    name.textContent = point.name;
    wrapper.appendChild(name);
    if (point.detail) {
      const detail = document.createElement("div");
      detail.textContent = point.detail;
      wrapper.appendChild(detail);
    }
    return wrapper;
  }

  function drawBaseMap(map, url) {
    if (!url || typeof topojson === "undefined") return;
    fetch(url, { credentials: "same-origin" })
      .then((response) => {
        if (!response.ok) throw new Error("base map " + response.status);
        return response.json();
      })
      .then((topology) => {
        const countries = topojson.feature(topology, topology.objects.countries);
        L.geoJSON(countries, { pane: "basemap", style: LAND, interactive: false }).addTo(map);
      })
      .catch(() => {
        // The markers still work on the plain sea colour; nothing else to do.
      });
  }

  function initMap(container) {
    if (container.dataset.mapReady || typeof L === "undefined") return;
    const data = readData(container);
    if (!data) return;
    container.dataset.mapReady = "1";
    // Set through the CSSOM (allowed by the CSP), because leaflet.css paints the container grey.
    container.style.background = SEA;

    const map = L.map(container, { worldCopyJump: true, minZoom: 1, maxZoom: 10, attributionControl: true });
    map.attributionControl.addAttribution("Natural Earth");
    // The countries sit in their own pane under the markers and lines, whenever the file arrives.
    map.createPane("basemap").style.zIndex = "250";
    drawBaseMap(map, container.dataset.geojsonUrl);

    const bounds = [];
    const origin = data.origin;
    const points = Array.isArray(data.points) ? data.points : [];
    if (origin && data.connect) {
      points.forEach((point) => {
        L.polyline([[origin.lat, origin.lng], [point.lat, point.lng]], LINE).addTo(map);
      });
    }
    points.forEach((point) => {
      L.circleMarker([point.lat, point.lng], POINT).bindPopup(popupContent(point)).addTo(map);
      bounds.push([point.lat, point.lng]);
    });
    if (origin) {
      const marker = data.connect ? L.marker([origin.lat, origin.lng], { title: origin.name }) : L.circleMarker([origin.lat, origin.lng], ORIGIN);
      marker.bindPopup(popupContent(origin)).addTo(map);
      bounds.push([origin.lat, origin.lng]);
    }

    if (bounds.length > 1) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 6 });
    } else if (bounds.length === 1) {
      map.setView(bounds[0], 4);
    } else {
      map.setView([20, 0], 1);
    }
  }

  function initAll() {
    document.querySelectorAll("[data-map]").forEach(initMap);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
