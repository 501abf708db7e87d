// Form behaviours that used to be inline handlers (onchange/onsubmit/onclick), which the portal's
// Content-Security-Policy forbids. Delegated from the document, so content htmx swaps in works too.
//   <select data-autosubmit>            submits its form when the choice changes (filters, language);
//   <form data-confirm="question">      asks before it is sent; "Cancel" keeps the page as it is;
//   <button data-confirm="question">    the same for one submit button of a form.
// A form being sent says so and cannot be sent twice (a double click makes one request):
//   every POST form, once sent, disables its submit buttons (after the browser has read the clicked one's
//   name and value) and puts a spinner on the clicked one, with aria-busy on the form, until the answer
//   replaces the page; an htmx form is busy while its request runs. A form with a chosen file says
//   "正在上传…" ("Uploading…") on the button: an upload takes a while.
//   <button data-busy-label="text">     the text the busy button shows instead;
//   <form data-no-busy>                 never busy (a form whose answer is a download leaves the page as it
//                                       is; a plain form is released after BUSY_RELEASE_MS in any case).
// A chosen file (up to KEEP_MAX_BYTES) is kept for this tab, so when the page comes back with errors about
// another field (the kind of evidence, a title) the file input still holds it: the browser would otherwise
// ask for it again. A file refused for its content is not kept; a page without errors forgets it.
(function () {
  "use strict";
  var BUSY_RELEASE_MS = 10000;
  var KEEP_MAX_BYTES = 2 * 1024 * 1024;
  var SUBMITS = 'button[type="submit"], button:not([type]), input[type="submit"]';

  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-autosubmit]") && select.form) {
      select.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-confirm], input[data-confirm]") : null;
    if (button && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    var submit = event.target.closest ? event.target.closest(SUBMITS) : null;
    if (submit && submit.form) { submit.form.zcSubmitter = submit; }
  });

  // ---- busy forms ------------------------------------------------------------------------------------

  function uploading(form) {
    return Array.prototype.some.call(form.querySelectorAll('input[type="file"]'), function (input) {
      return input.files && input.files.length > 0;
    });
  }

  function uploadingLabel() {
    return document.body.dataset.uiUploading || "Uploading…";  // base.html gives it in the page's language
  }

  function submitsOf(form) {
    return Array.prototype.filter.call(form.elements, function (element) { return element.matches(SUBMITS); });
  }

  function setBusy(form, submitter) {
    if (form.getAttribute("aria-busy") === "true") { return; }
    form.dataset.busy = "1";
    form.setAttribute("aria-busy", "true");
    var buttons = submitsOf(form);
    var button = submitter && buttons.indexOf(submitter) >= 0 ? submitter : buttons[0];
    if (button && button.tagName === "BUTTON") {
      button.zcContent = Array.prototype.slice.call(button.childNodes);
      var spinner = document.createElement("span");
      spinner.className = "spinner-border spinner-border-sm me-1";
      spinner.setAttribute("aria-hidden", "true");
      var label = button.dataset.busyLabel || (uploading(form) ? uploadingLabel() : "");
      button.replaceChildren.apply(button, [spinner].concat(label ? [document.createTextNode(label)] : button.zcContent));
    }
    buttons.forEach(function (element) {
      if (!element.disabled) { element.disabled = true; element.dataset.busyDisabled = "1"; }
    });
  }

  function release(form) {
    delete form.dataset.busy;
    form.removeAttribute("aria-busy");
    submitsOf(form).forEach(function (element) {
      if (element.dataset.busyDisabled) { element.disabled = false; delete element.dataset.busyDisabled; }
      if (element.zcContent) { element.replaceChildren.apply(element, element.zcContent); element.zcContent = null; }
    });
  }

  function sendsAPage(form) {
    var target = (form.getAttribute("target") || "").toLowerCase();
    return (form.getAttribute("method") || "get").toLowerCase() === "post" &&
      !form.hasAttribute("data-no-busy") && (!target || target === "_self");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches) { return; }
    if (form.dataset.busy) {  // already on its way: a second click sends nothing
      event.preventDefault();
      return;
    }
    if (form.matches("form[data-confirm]") && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    // htmx sends its forms itself (and prevents the browser's sending): see htmx:beforeRequest.
    if (event.defaultPrevented || !sendsAPage(form)) { return; }
    var submitter = event.submitter || form.zcSubmitter;
    form.dataset.busy = "1";
    keepSent(form);
    // After this event the browser reads the form, leaving out disabled buttons: disable them just after.
    window.setTimeout(function () { setBusy(form, submitter); }, 0);
    if (!uploading(form)) {
      window.setTimeout(function () { if (form.isConnected) { release(form); } }, BUSY_RELEASE_MS);
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (form && form.tagName === "FORM" && !form.hasAttribute("data-no-busy")) { setBusy(form, form.zcSubmitter); }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (form && form.tagName === "FORM" && form.isConnected) { release(form); }
  });
  // Back to a page the browser kept (back button): its forms are not on their way any more.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("form[data-busy]").forEach(release);
  });

  // ---- a chosen file, kept while the page comes back with errors ------------------------------------

  function keyOf(input) {
    return "zc-file:" + window.location.pathname + ":" + ((input.form && input.form.id) || "") + ":" + input.name;
  }

  function storage() {
    try { return window.sessionStorage; } catch (error) { return null; }
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    var store = storage();
    if (!store || !input.matches || !input.matches('input[type="file"]') || input.multiple || !input.name) { return; }
    var file = input.files && input.files[0];
    store.removeItem(keyOf(input));
    delete input.dataset.fileKept;
    if (!file || file.size > KEEP_MAX_BYTES || !window.FileReader) { return; }
    var reader = new FileReader();
    reader.onload = function () {
      try {
        store.setItem(keyOf(input), JSON.stringify({
          name: file.name, type: file.type, modified: file.lastModified, data: reader.result, sent: false
        }));
      } catch (error) { /* over the tab's storage quota: the file is simply not kept */ }
    };
    reader.readAsDataURL(file);
  });

  function keepSent(form) {
    var store = storage();
    if (!store) { return; }
    form.querySelectorAll('input[type="file"]').forEach(function (input) {
      var kept = store.getItem(keyOf(input));
      if (!kept) { return; }
      try {
        var entry = JSON.parse(kept);
        entry.sent = true;
        store.setItem(keyOf(input), JSON.stringify(entry));
      } catch (error) { store.removeItem(keyOf(input)); }
    });
  }

  function fileOf(entry) {
    var bytes = window.atob(entry.data.split(",")[1] || "");
    var buffer = new Uint8Array(bytes.length);
    for (var i = 0; i < bytes.length; i += 1) { buffer[i] = bytes.charCodeAt(i); }
    return new File([buffer], entry.name, { type: entry.type, lastModified: entry.modified });
  }

  // The page came back with errors, none of them about the file: the file itself was fine. A file refused
  // for its content (the list of #upload-errors, or an error under its input) is corrected on disk and
  // chosen again; keeping the refused copy would send the same mistakes once more.
  function refusedForAnotherField(form, input) {
    if (!form || document.getElementById("upload-errors")) { return false; }
    var own = input.parentElement;
    if (input.classList.contains("is-invalid") || (own && own.querySelector(".invalid-feedback"))) { return false; }
    return Boolean(form.querySelector(".is-invalid, .invalid-feedback, .alert-danger"));
  }

  function restoreFiles() {
    var store = storage();
    if (!store || typeof DataTransfer === "undefined") { return; }
    document.querySelectorAll('form input[type="file"]').forEach(function (input) {
      var kept = store.getItem(keyOf(input));
      if (!kept) { return; }
      var form = input.form;
      var entry = null;
      try { entry = JSON.parse(kept); } catch (error) { entry = null; }
      if (!refusedForAnotherField(form, input) || !entry || !entry.sent || (input.files && input.files.length)) {
        store.removeItem(keyOf(input));  // stored, or never sent: nothing to keep
        return;
      }
      try {
        var transfer = new DataTransfer();
        transfer.items.add(fileOf(entry));
        input.files = transfer.files;
        input.dataset.fileKept = "1";
        entry.sent = false;
        store.setItem(keyOf(input), JSON.stringify(entry));
      } catch (error) { store.removeItem(keyOf(input)); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", restoreFiles);
  } else {
    restoreFiles();
  }
}());
