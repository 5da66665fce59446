// The pipeline page's charts (uPlot from its WebJar): the last 15 minutes from the page, then one point per SSE
// "sample" event. No build step.
(function () {
  'use strict';
  var MAX_POINTS = 450;
  var SPECS = {
    throughput: [['raw in', 'rawRate', '#1f5fa8'], ['canonical out', 'canonicalRate', '#7a3db8'],
      ['delivered', 'deliveredRate', '#1d7a3a']],
    lag: [['normalizer', 'normalizerLag', '#1f5fa8'], ['sinks', 'sinkLag', '#a3461b']],
    latency: [['p50', 'p50', '#1d7a3a'], ['p99', 'p99', '#a3461b']],
    dlq: [['dead letters', 'deadLetters', '#b3261e']]
  };
  var charts = {};
  var points = [];

  function value(p, key) {
    var v = p[key];
    return v === undefined || v < 0 ? null : v;
  }

  function data(kind) {
    var d = [points.map(function (p) { return p.t; })];
    SPECS[kind].forEach(function (s) { d.push(points.map(function (p) { return value(p, s[1]); })); });
    return d;
  }

  function build() {
    var root = document.getElementById('charts');
    if (!root || typeof uPlot === 'undefined') {
      return;
    }
    try {
      points = JSON.parse(root.getAttribute('data-history') || '[]');
    } catch (e) {
      points = [];
    }
    root.querySelectorAll('[data-chart]').forEach(function (el) {
      var kind = el.getAttribute('data-chart');
      var series = [{}];
      SPECS[kind].forEach(function (s) { series.push({label: s[0], stroke: s[2], width: 2, spanGaps: true}); });
      charts[kind] = new uPlot({
        width: Math.max(280, el.clientWidth || 480), height: 180, series: series,
        scales: {x: {time: true}}, axes: [{}, {size: 60}]
      }, data(kind), el);
    });
    window.addEventListener('resize', function () {
      Object.keys(charts).forEach(function (k) {
        var el = root.querySelector('[data-chart="' + k + '"]');
        charts[k].setSize({width: Math.max(280, el.clientWidth), height: 180});
      });
    });
  }

  document.addEventListener('htmx:sseMessage', function (e) {
    if (!e.detail || e.detail.type !== 'sample') {
      return;
    }
    try {
      points.push(JSON.parse(e.detail.data));
    } catch (err) {
      return;
    }
    if (points.length > MAX_POINTS) {
      points.shift();
    }
    Object.keys(charts).forEach(function (k) { charts[k].setData(data(k)); });
  });

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', build);
  } else {
    build();
  }
})();
