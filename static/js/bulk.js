// List pages: the "print" button, and picking several rows for one decision (the province's review queue).
//   <button data-print hidden>                  shown once this script runs; prints the page;
//   <form data-bulk>                            a form around a table of rows to pick:
//     <input type="checkbox" data-bulk-all>     ticks or clears every row (shows "some" when partly ticked);
//     <input type="checkbox" data-bulk-item>    one row;
//     <span data-bulk-count data-template="… {n} …">   how many are ticked;
//     <button data-bulk-submit>                 enabled only while at least one row is ticked.
// Without scripts the form still works: the server refuses an empty choice with a message.
(function () {
  "use strict";

  function items(form) {
    return Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox][data-bulk-item]"));
  }

  function update(form) {
    var boxes = items(form);
    var ticked = boxes.filter(function (box) { return box.checked; }).length;
    var all = form.querySelector("[data-bulk-all]");
    if (all) {
      all.checked = ticked > 0 && ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
      all.disabled = boxes.length === 0;
    }
    Array.prototype.forEach.call(form.querySelectorAll("[data-bulk-count]"), function (count) {
      count.textContent = (count.dataset.template || "{n}").replace("{n}", String(ticked));
    });
    Array.prototype.forEach.call(form.querySelectorAll("[data-bulk-submit]"), function (button) {
      button.disabled = ticked === 0;
    });
  }

  function setUp() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
      button.hidden = false;
    });
    Array.prototype.forEach.call(document.querySelectorAll("form[data-bulk]"), function (form) {
      form.addEventListener("change", function (event) {
        var target = event.target;
        if (target.matches && target.matches("[data-bulk-all]")) {
          items(form).forEach(function (box) { box.checked = target.checked; });
        }
        update(form);
      });
      update(form);
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) {
      event.preventDefault();
      window.print();
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
}());
