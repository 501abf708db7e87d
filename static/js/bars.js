// Bars whose length the server computes (progress towards a goal, a key project's progress, sections done):
// the template gives the percentage as data-bar-width (and a marker's place as data-bar-left), and this
// sets it through element.style, which the Content-Security-Policy allows where a style="" attribute is
// refused. Runs on the page and on any content htmx swaps in.
(function () {
  "use strict";
  function percent(value) {
    var number = parseFloat(value);
    if (isNaN(number)) { return null; }
    return Math.min(Math.max(number, 0), 100) + "%";
  }
  function within(root, selector) {
    if (!root || !root.querySelectorAll) { return []; }
    var found = Array.prototype.slice.call(root.querySelectorAll(selector));
    return root.matches && root.matches(selector) ? [root].concat(found) : found;
  }
  function draw(root) {
    within(root, "[data-bar-width]").forEach(function (bar) {
      var width = percent(bar.dataset.barWidth);
      if (width !== null) { bar.style.width = width; }
    });
    within(root, "[data-bar-left]").forEach(function (marker) {
      var left = percent(marker.dataset.barLeft);
      if (left !== null) { marker.style.left = left; }
    });
  }
  draw(document);
  document.addEventListener("htmx:load", function (event) { draw(event.detail.elt); });
}());
