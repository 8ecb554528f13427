// make-book serve: reload this page as soon as the book changes. The page's version is the
// script's data-version; the server answers at once when the book has changed since.
(function () {
  "use strict";
  var script = document.currentScript;
  var version = script ? script.getAttribute("data-version") : "";
  var events = new EventSource("/__make-book/events?since=" + encodeURIComponent(version || ""));
  events.addEventListener("reload", function () {
    events.close();
    window.location.reload();
  });
})();
