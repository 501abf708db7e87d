// Background jobs a page waits for (a PDF or archive, the acceptance report, an energy year's indicators,
// the recomputation of every result). The pages do the waiting themselves with htmx: while a job runs, its
// block shows a spinner (role="status", aria-live="polite") and an element [data-job-poll] asks for the
// block every 2 s; the answer replaces the block, without a poller once the job is done. This script only
// tells screen-reader users the outcome: a block is replaced on every poll, and a live region that is
// replaced is not reliably read, so one region of this page's own, never replaced, says it.
//   [data-job-key="k"]   one job's block (the same key in the old and the new block);
//   [data-job-busy]      inside it while the job runs;
//   [data-job-result]    inside it once the job is done: the sentence to read out ("ready", "failed ...");
//   [data-job-poll][data-job-slow="text"]  the poller, and what its block says if the job outlasts the watch.
// Loaded by the pages that wait; loading it twice is harmless.
(function () {
  "use strict";
  if (window.zcJobs) { return; }
  window.zcJobs = true;

  var POLL_LIMIT_MS = 30 * 60 * 1000;
  var opened = Date.now();
  var waiting = [];  // keys of the jobs running in the blocks being replaced
  var announcer = null;

  function announce(text) {
    if (!announcer) {
      announcer = document.createElement("div");
      announcer.id = "job-announcer";
      announcer.className = "visually-hidden";
      announcer.setAttribute("role", "status");
      announcer.setAttribute("aria-live", "polite");
      document.body.appendChild(announcer);
    }
    // Emptied first, so the same sentence twice is read twice.
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  function busyKeys(root) {
    var keys = [];
    if (!root || !root.querySelectorAll) { return keys; }
    var busy = Array.prototype.slice.call(root.querySelectorAll("[data-job-busy]"));
    if (root.matches && root.matches("[data-job-busy]")) { busy.push(root); }
    busy.forEach(function (element) {
      var block = element.closest("[data-job-key]");
      if (block && keys.indexOf(block.dataset.jobKey) < 0) { keys.push(block.dataset.jobKey); }
    });
    return keys;
  }

  // A job still running half an hour after the page was opened will not end while it is watched (the
  // workers' sweeps fail a lost file within that time): the block stops asking and says so.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var poller = event.detail.elt;
    if (!poller || !poller.matches || !poller.matches("[data-job-poll]") || Date.now() - opened < POLL_LIMIT_MS) {
      return;
    }
    event.preventDefault();
    var block = poller.closest("[data-job-key]") || poller.parentElement;
    var busy = block ? block.querySelector("[data-job-busy]") : null;
    if (busy && poller.dataset.jobSlow) { busy.textContent = poller.dataset.jobSlow; }
    poller.remove();
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    busyKeys(event.detail.target).forEach(function (key) {
      if (waiting.indexOf(key) < 0) { waiting.push(key); }
    });
  });

  document.addEventListener("htmx:afterSettle", function () {
    var said = [];
    waiting = waiting.filter(function (key) {
      var block = document.querySelector('[data-job-key="' + key.replace(/["\\]/g, "") + '"]');
      if (block && block.querySelector("[data-job-busy]")) { return true; }  // still running
      var result = block ? block.querySelector("[data-job-result]") : null;
      if (result && result.textContent.trim()) { said.push(result.textContent.trim().replace(/\s+/g, " ")); }
      return false;
    });
    if (said.length) { announce(said.join(" ")); }
  });
}());
