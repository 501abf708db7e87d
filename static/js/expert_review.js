// An expert's review form: the running total of the points typed in ("…" while an area is still empty);
// the server adds them up again on submission.
(function () {
  "use strict";
  var inputs = document.querySelectorAll("#expert-review-form [data-points]");
  var out = document.getElementById("points-total");
  if (!out) { return; }
  function update() {
    var tenths = 0, complete = true;
    inputs.forEach(function (input) {
      var value = parseFloat(input.value);
      if (isNaN(value)) { complete = false; } else { tenths += Math.round(value * 10); }
    });
    out.textContent = (tenths / 10).toFixed(1) + (complete ? "" : " …");
  }
  inputs.forEach(function (input) { input.addEventListener("input", update); });
  update();
}());
