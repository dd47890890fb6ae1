// Small behaviours the server-rendered pages need; no inline scripts (the CSP forbids them).
document.addEventListener("click", (event) => {
  const opener = event.target.closest("[data-modal-open]");
  if (opener) {
    const dialog = document.getElementById(opener.dataset.modalOpen);
    if (dialog) {
      event.preventDefault();
      dialog.showModal();
    }
  }
});
