// Small behaviour the server-rendered pages need; no build step. Live updates come through htmx's SSE extension.
(function () {
  'use strict';
  var MAX_TAIL = 100;
  document.addEventListener('htmx:sseMessage', function (e) {
    // Keep a live tail bounded: the newest records are on top, the oldest fall off the end.
    var tail = document.getElementById('tail');
    if (tail && e.detail && e.detail.type === 'record') {
      while (tail.children.length > MAX_TAIL) {
        tail.removeChild(tail.lastElementChild);
      }
    }
  });
})();
