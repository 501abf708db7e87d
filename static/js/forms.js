// Form behaviours that used to be inline handlers (onchange/onsubmit/onclick), which the portal's
// Content-Security-Policy forbids. Delegated from the document, so content htmx swaps in works too.
//   <select data-autosubmit>            submits its form when the choice changes (filters, language);
//   <form data-confirm="question">      asks before it is sent; "Cancel" keeps the page as it is;
//   <button data-confirm="question">    the same for one submit button of a form.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-autosubmit]") && select.form) {
      select.form.submit();
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches && form.matches("form[data-confirm]") && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-confirm], input[data-confirm]") : null;
    if (button && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });
}());
