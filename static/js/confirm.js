// A confirmation that says what will happen, in a Bootstrap modal, before a form is sent.
//
//   <form data-confirm-dialog ...>              asks before the form is sent;
//   <button type="submit" data-confirm-dialog>   asks before this button sends its form (its own texts).
//
// The texts come from the element that asks: data-confirm-title (the question), data-confirm-body (what
// happens, who gets it next), data-confirm-note (whether it can be undone), data-confirm-button (the
// confirming button's label), data-confirm-cancel (the other one's); data-confirm-danger makes the
// confirming button red; data-confirm-field="confirm" adds <input type=hidden name=confirm value=on> when
// confirmed, so a server that asks again on a page of its own (without JavaScript) does not.
// The browser's own checks (required fields) run first: the question comes only for a form that can go.
// Without Bootstrap (or JavaScript) the form is sent as it is.
(function () {
  "use strict";
  var words = document.body.dataset;  // base.html gives them in the page's language
  var DEFAULTS = {
    title: words.uiConfirmTitle || "Are you sure?",
    button: words.uiConfirm || "Confirm",
    cancel: words.uiCancel || "Cancel",
    close: words.uiClose || "Close",
  };
  var modal = null;
  var parts = {};
  var pending = null; // {form, submitter}

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function build() {
    var root = el("div", "modal fade");
    root.id = "confirm-dialog";
    root.tabIndex = -1;
    root.setAttribute("aria-labelledby", "confirm-dialog-title");
    root.setAttribute("aria-modal", "true");
    root.setAttribute("role", "dialog");
    var dialog = el("div", "modal-dialog modal-dialog-centered");
    var content = el("div", "modal-content");
    var header = el("div", "modal-header");
    parts.title = el("h2", "modal-title h5");
    parts.title.id = "confirm-dialog-title";
    parts.close = el("button", "btn-close");
    parts.close.type = "button";
    parts.close.setAttribute("data-bs-dismiss", "modal");
    header.append(parts.title, parts.close);
    var body = el("div", "modal-body");
    parts.body = el("p", "mb-2 confirm-body");
    parts.note = el("p", "mb-0 small confirm-note");
    body.append(parts.body, parts.note);
    var footer = el("div", "modal-footer");
    parts.cancel = el("button", "btn btn-outline-secondary");
    parts.cancel.type = "button";
    parts.cancel.setAttribute("data-bs-dismiss", "modal");
    parts.ok = el("button", "btn btn-confirm");
    parts.ok.type = "button";
    footer.append(parts.cancel, parts.ok);
    content.append(header, body, footer);
    dialog.append(content);
    root.append(dialog);
    document.body.append(root);
    parts.ok.addEventListener("click", proceed);
    root.addEventListener("hidden.bs.modal", function () {
      if (pending && pending.submitter && pending.submitter.focus) { pending.submitter.focus(); }
      pending = null;
    });
    modal = new window.bootstrap.Modal(root);
  }

  function text(asker, form, name) {
    var key = "confirm" + name.charAt(0).toUpperCase() + name.slice(1);
    return (asker && asker.dataset[key]) || form.dataset[key] || "";
  }

  function ask(form, submitter) {
    if (!modal) { build(); }
    var asker = submitter && submitter.hasAttribute("data-confirm-dialog") ? submitter : form;
    pending = { form: form, submitter: submitter, asker: asker };
    parts.title.textContent = text(asker, form, "title") || DEFAULTS.title;
    parts.body.textContent = text(asker, form, "body");
    parts.body.hidden = !parts.body.textContent;
    parts.note.textContent = text(asker, form, "note");
    parts.note.hidden = !parts.note.textContent;
    parts.ok.textContent = text(asker, form, "button") || DEFAULTS.button;
    parts.cancel.textContent = text(asker, form, "cancel") || DEFAULTS.cancel;
    parts.close.setAttribute("aria-label", DEFAULTS.close);
    var danger = asker.hasAttribute("data-confirm-danger");
    parts.ok.classList.toggle("btn-danger", danger);
    parts.ok.classList.toggle("btn-success", !danger);
    parts.note.classList.toggle("text-danger", danger);
    parts.note.classList.toggle("text-muted", !danger);
    parts.ok.disabled = false;
    modal.show();
  }

  function proceed() {
    if (!pending) { return; }
    var form = pending.form;
    var submitter = pending.submitter;
    var field = pending.asker.dataset.confirmField;
    parts.ok.disabled = true; // one click, one request
    if (field && !form.querySelector("input[type=hidden][name='" + field + "'][data-confirmed]")) {
      var input = el("input");
      input.type = "hidden";
      input.name = field;
      input.value = "on";
      input.setAttribute("data-confirmed", "");
      form.append(input);
    }
    form.dataset.confirmedOnce = "1";
    if (form.requestSubmit) {
      form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
    } else {
      form.submit();
    }
    modal.hide();
  }

  // The button that is sending the form (for browsers without SubmitEvent.submitter).
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[type=submit], input[type=submit]") : null;
    if (button && button.form) { button.form.zcSubmitter = button; }
  });

  // In the capture phase: before forms.js (bubbling) marks the form busy, so a form that waits for the answer
  // is not busy yet, and is marked busy only when it is really sent.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches) { return; }
    var submitter = event.submitter || form.zcSubmitter || null;
    var asks = form.hasAttribute("data-confirm-dialog") ||
      (submitter && submitter.hasAttribute && submitter.hasAttribute("data-confirm-dialog"));
    if (!asks || form.dataset.busy) { return; }  // a form already on its way: forms.js keeps it from going twice
    if (form.dataset.confirmedOnce === "1") {
      delete form.dataset.confirmedOnce;
      return;
    }
    if (!window.bootstrap || !window.bootstrap.Modal) { return; }
    event.preventDefault();
    ask(form, submitter);
  }, true);
}());
