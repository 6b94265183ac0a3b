// map.js turns every .js-map element of the page into a Leaflet map. It is
// included, after Leaflet and leaflet.markercluster, by the map_assets
// template partial, whose script tag carries the settings as data
// attributes: the tile server, its attribution, the marker images and the
// map's wording in the page's language.
//
// A map element names its features as a GeoJSON FeatureCollection, inline in
// data-geojson or at the URL in data-geojson-url. Point features are markers
// whose popup shows properties.name linking to properties.url (and
// properties.note); Polygon and MultiPolygon features are outlined areas;
// properties.kind (school, home, catchment, district) is a class for the
// stylesheet. With data-cluster the markers are clustered.
//
// The page lists what the map shows without JavaScript, so a map that cannot
// load (no Leaflet, no data, no tiles) only says so and the list stays.
(function () {
  'use strict';

  var script = document.currentScript;
  var cfg = (script && script.dataset) || {};
  var kinds = ['school', 'home', 'catchment', 'district'];

  // note shows a message under the map element, once per message.
  function note(el, text, cls) {
    if (!text || el.parentNode.querySelector('.' + cls)) {
      return;
    }
    var p = document.createElement('p');
    p.className = 'map-note ' + cls;
    p.setAttribute('role', 'status');
    p.textContent = text;
    el.parentNode.insertBefore(p, el.nextSibling);
  }

  // safeURL lets only links within the portal or to http(s) sites through.
  function safeURL(url) {
    return typeof url === 'string' && /^(\/(?!\/)|https?:\/\/)/.test(url) ? url : '';
  }

  // kindOf returns a feature's kind, or '' for an unknown one.
  function kindOf(feature) {
    var k = feature && feature.properties && feature.properties.kind;
    return kinds.indexOf(k) >= 0 ? k : '';
  }

  // popup builds a feature's popup from its properties, as DOM nodes so that
  // no text is ever read as HTML.
  function popup(props) {
    if (!props || !props.name) {
      return null;
    }
    var box = document.createElement('div');
    box.className = 'map-popup';
    var url = safeURL(props.url);
    var title = document.createElement(url ? 'a' : 'strong');
    if (url) {
      title.href = url;
    }
    title.textContent = String(props.name);
    box.appendChild(title);
    if (props.note) {
      var p = document.createElement('p');
      p.textContent = String(props.note);
      box.appendChild(p);
    }
    return box;
  }

  // clusterIcon draws a cluster with its count and a label for screen
  // readers.
  function clusterIcon(cluster) {
    var n = cluster.getChildCount();
    var size = n < 10 ? 'small' : n < 100 ? 'medium' : 'large';
    var html = document.createElement('div');
    var count = document.createElement('span');
    count.textContent = String(n);
    var label = document.createElement('span');
    label.className = 'map-sr';
    label.textContent = ' ' + (cfg.clusterLabel || '');
    count.appendChild(label);
    html.appendChild(count);
    return L.divIcon({
      html: html.innerHTML,
      className: 'marker-cluster marker-cluster-' + size,
      iconSize: L.point(40, 40)
    });
  }

  // show puts the features of collection on map and fits the view to them.
  function show(el, map, collection) {
    var cluster = el.hasAttribute('data-cluster');
    var markers = cluster ? L.markerClusterGroup({
      iconCreateFunction: clusterIcon,
      showCoverageOnHover: false
    }) : L.featureGroup();
    var areas = L.featureGroup();
    var count = 0;

    L.geoJSON(collection, {
      pointToLayer: function (feature, latlng) {
        var name = (feature.properties && feature.properties.name) || '';
        var m = L.marker(latlng, { title: String(name), alt: String(name), keyboard: true });
        var kind = kindOf(feature);
        if (kind) {
          m.on('add', function () {
            var icon = m.getElement();
            if (icon) {
              icon.classList.add('map-marker-' + kind);
            }
          });
        }
        return m;
      },
      style: function (feature) {
        var kind = kindOf(feature) || 'area';
        return { className: 'map-area map-area-' + kind, weight: 2, fillOpacity: 0.12 };
      },
      onEachFeature: function (feature, layer) {
        var content = popup(feature.properties);
        if (content) {
          layer.bindPopup(content);
        }
        if (layer instanceof L.Marker) {
          markers.addLayer(layer);
          count++;
        } else {
          areas.addLayer(layer);
        }
      }
    });

    areas.addTo(map);
    markers.addTo(map);
    el.setAttribute('data-markers', String(count));

    var bounds = areas.getBounds();
    if (count > 0) {
      bounds = bounds.isValid() ? bounds.extend(markers.getBounds()) : markers.getBounds();
    }
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
    }
    el.classList.add('map-ready');
  }

  // setup makes el a map.
  function setup(el) {
    var map = L.map(el, { zoomControl: false, scrollWheelZoom: false, keyboard: true });
    L.control.zoom({ zoomInTitle: cfg.zoomIn || '+', zoomOutTitle: cfg.zoomOut || '−' }).addTo(map);
    map.setView([48.0, 68.0], 4);

    if (cfg.tiles) {
      var tiles = L.tileLayer(cfg.tiles, { attribution: cfg.attribution || '', maxZoom: 19 });
      tiles.on('tileerror', function () {
        el.classList.add('map-no-tiles');
        note(el, cfg.noTiles, 'map-note-tiles');
      });
      tiles.addTo(map);
    }

    // Leaflet's popup close button is labelled in English.
    map.on('popupopen', function (e) {
      var close = e.popup.getElement() && e.popup.getElement().querySelector('.leaflet-popup-close-button');
      if (close && cfg.close) {
        close.setAttribute('aria-label', cfg.close);
        close.title = cfg.close;
      }
    });

    var failed = function () {
      el.classList.add('map-failed');
      note(el, cfg.noData, 'map-note-data');
    };
    var inline = el.getAttribute('data-geojson');
    var url = safeURL(el.getAttribute('data-geojson-url'));
    if (inline) {
      show(el, map, JSON.parse(inline));
    } else if (url) {
      fetch(url, { headers: { Accept: 'application/geo+json, application/json' } })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error(String(r.status))); })
        .then(function (data) { show(el, map, data); })
        .catch(failed);
    }
  }

  function start() {
    var els = document.querySelectorAll('.js-map');
    if (!els.length) {
      return;
    }
    if (typeof L === 'undefined') {
      els.forEach(function (el) { note(el, cfg.noData, 'map-note-data'); });
      return;
    }

    // The marker images are served at hashed paths, so Leaflet is told
    // where they are instead of guessing from its stylesheet.
    L.Icon.Default.imagePath = '';
    L.Icon.Default.mergeOptions({
      iconUrl: cfg.icon,
      iconRetinaUrl: cfg.icon2x,
      shadowUrl: cfg.shadow
    });

    els.forEach(function (el) {
      try {
        setup(el);
      } catch (e) {
        el.classList.add('map-failed');
        note(el, cfg.noData, 'map-note-data');
      }
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
