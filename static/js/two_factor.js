// Recovery codes page: the Print button (no inline handlers: the Content-Security-Policy refuses them).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-two-factor-print]")) {
    window.print();
  }
});
