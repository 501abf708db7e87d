/* The dossier forms, in plain JavaScript (no dependencies):
 * - table rows added and removed in place (names <table>-<row>-<column>, the row number picked here);
 * - the construction period greys out the target years after it; a key task shows measures or reason;
 * - a warning before leaving the page with unsaved changes;
 * - a copy of the typed input kept in this browser until the server confirms the save, offered back
 *   when the page is opened again without it (a session that expired while typing, a closed tab);
 * - forms with data-confirm ask before they are sent (removing an attachment).
 */
(function () {
  "use strict";

  var PLACEHOLDER = /__row__/g;

  function rowsOf(fieldset) {
    var holder = fieldset.querySelector("[data-rows]");
    return holder ? Array.prototype.filter.call(holder.children, function (el) { return el.hasAttribute("data-row"); }) : [];
  }

  function renumber(fieldset) {
    rowsOf(fieldset).forEach(function (row, index) {
      row.querySelectorAll("[data-row-number]").forEach(function (el) { el.textContent = String(index + 1); });
    });
    var empty = fieldset.querySelector("[data-empty]");
    if (empty) { empty.hidden = rowsOf(fieldset).length > 0; }
  }

  function addRow(fieldset, index) {
    var template = fieldset.querySelector("template[data-row-template]");
    var holder = fieldset.querySelector("[data-rows]");
    if (!template || !holder) { return null; }
    var next = Number(fieldset.dataset.next || 0);
    if (index === undefined) { index = next; }
    fieldset.dataset.next = String(Math.max(next, index + 1));
    holder.insertAdjacentHTML("beforeend", template.innerHTML.replace(PLACEHOLDER, String(index)));
    renumber(fieldset);
    return holder.lastElementChild;
  }

  function setupTables(form, markDirty) {
    form.querySelectorAll("[data-table]").forEach(function (fieldset) {
      renumber(fieldset);
      fieldset.addEventListener("click", function (event) {
        var add = event.target.closest("[data-add-row]");
        var remove = event.target.closest("[data-remove-row]");
        if (add) {
          var row = addRow(fieldset);
          var first = row && row.querySelector("input:not([type=hidden]), select, textarea");
          if (first) { first.focus(); }
          markDirty();
        } else if (remove) {
          var target = remove.closest("[data-row]");
          if (target) { target.remove(); renumber(fieldset); markDirty(); }
        }
      });
    });
  }

  function setupPeriod(form) {
    var grid = form.querySelector("[data-period-field]");
    var input = grid && document.getElementById(grid.dataset.periodField);
    if (!input) { return; }
    function apply() {
      var period = parseInt(input.value, 10);
      var last = isNaN(period) ? Infinity : Number(grid.dataset.baseYear) + period;
      grid.querySelectorAll("[data-year]").forEach(function (cell) {
        cell.classList.toggle("beyond-period", Number(cell.dataset.year) > last);
      });
    }
    input.addEventListener("input", apply);
    apply();
  }

  function setupTasks(form) {
    form.querySelectorAll(".task-card").forEach(function (card) {
      function apply() {
        var checked = card.querySelector("input[type=radio]:checked");
        card.dataset.status = checked ? checked.value : "";
      }
      card.addEventListener("change", apply);
      apply();
    });
  }

  // --- The browser's copy of the typed input -------------------------------------------------

  function snapshot(form) {
    var values = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      // The version is the server's (the one this page read), never a draft's.
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.name === "version" || el.type === "submit" || el.type === "button") { return; }
      if (el.type === "checkbox" || el.type === "radio") {
        values.push([el.name, el.value, el.checked]);
      } else {
        values.push([el.name, el.value]);
      }
    });
    return { savedAt: new Date().toISOString(), values: values };
  }

  function restore(form, draft) {
    // Tables with a row template are rebuilt with the draft's rows; fixed grids (targets) keep theirs.
    form.querySelectorAll("[data-table]").forEach(function (fieldset) {
      if (!fieldset.querySelector("template[data-row-template]")) { return; }
      var prefix = fieldset.dataset.table + "-";
      var indexes = {};
      draft.values.forEach(function (item) {
        if (item[0].indexOf(prefix) === 0) {
          var index = parseInt(item[0].slice(prefix.length), 10);
          if (!isNaN(index)) { indexes[index] = true; }
        }
      });
      rowsOf(fieldset).forEach(function (row) { row.remove(); });
      Object.keys(indexes).map(Number).sort(function (a, b) { return a - b; }).forEach(function (index) {
        addRow(fieldset, index);
      });
      renumber(fieldset);
    });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.type === "checkbox" || el.type === "radio") { el.checked = false; }
    });
    draft.values.forEach(function (item) {
      var fields = form.querySelectorAll('[name="' + CSS.escape(item[0]) + '"]');
      fields.forEach(function (el) {
        if (el.type === "checkbox" || el.type === "radio") {
          if (el.value === item[1] && item[2]) { el.checked = true; }
        } else if (el.type !== "file") {
          el.value = item[1];
        }
      });
    });
    form.querySelectorAll("input[type=radio]").forEach(function (el) { el.dispatchEvent(new Event("change", { bubbles: true })); });
    var period = form.querySelector("[data-period-field]");
    var input = period && document.getElementById(period.dataset.periodField);
    if (input) { input.dispatchEvent(new Event("input")); }
  }

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function setupDraft(form, state) {
    var store = storage();
    var key = form.dataset.draftKey;
    if (!store || !key) { return; }
    var raw = store.getItem(key);
    var draft = null;
    try { draft = raw ? JSON.parse(raw) : null; } catch (e) { draft = null; }
    var updated = form.dataset.updated ? new Date(form.dataset.updated) : null;
    if (draft && updated && new Date(draft.savedAt) < updated) {
      store.removeItem(key);  // older than what is stored now: someone saved since
      draft = null;
    }
    var offer = document.getElementById("draft-offer");
    if (draft && form.dataset.bound !== "1" && offer) {
      offer.querySelector("[data-draft-time]").textContent = new Date(draft.savedAt).toLocaleString();
      offer.hidden = false;
      offer.querySelector("[data-draft-restore]").addEventListener("click", function () {
        restore(form, draft);
        offer.hidden = true;
        state.dirty = true;
      });
      offer.querySelector("[data-draft-discard]").addEventListener("click", function () {
        store.removeItem(key);
        offer.hidden = true;
      });
    }
    var timer = null;
    function write() {
      try { store.setItem(key, JSON.stringify(snapshot(form))); } catch (e) { /* storage full: the warning still guards */ }
    }
    state.keep = function (now) {
      window.clearTimeout(timer);
      if (now) { write(); } else { timer = window.setTimeout(write, 400); }
    };
  }

  function setupForm(form) {
    var state = { dirty: form.dataset.bound === "1", keep: function () {} };
    function markDirty() { state.dirty = true; state.keep(); }
    setupTables(form, markDirty);
    setupPeriod(form);
    setupTasks(form);
    setupDraft(form, state);
    form.addEventListener("input", markDirty);
    form.addEventListener("change", markDirty);
    form.addEventListener("submit", function () {
      state.keep(true);
      state.dirty = false;
    });
    window.addEventListener("beforeunload", function (event) {
      if (state.dirty) { event.preventDefault(); event.returnValue = ""; }
    });
  }

  function setupConfirm() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
      });
    });
  }

  function clearSaved() {
    // A redirect after a successful save names the section: the server has that input now.
    var saved = document.querySelector("[data-dossier-saved]");
    var store = storage();
    if (store && saved && saved.dataset.dossierSaved) {
      store.removeItem(saved.dataset.draftPrefix + saved.dataset.dossierSaved);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    clearSaved();
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
    document.querySelectorAll("form.dossier-form").forEach(setupForm);
    setupConfirm();
  });
})();
