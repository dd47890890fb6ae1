// Django's filter boxes (SelectFilter2.js) put an aria-label on a bare <span> help icon,
// which ARIA does not allow (axe: aria-prohibited-attr). As an image, the icon may carry it.
// Registered after SelectFilter2's own "load" handler, so the icons exist by then.
window.addEventListener("load", () => {
  for (const icon of document.querySelectorAll("span.help-tooltip[aria-label]:not([role])")) {
    icon.setAttribute("role", "img");
  }
});

// Select2 (Django's autocomplete) leaves the search box of a multiple choice without a name
// (axe: label): it takes the field's own label. Select2 keeps that box as choices change. It
// is made by autocomplete.js's jQuery ready handler, which was registered before this one.
window.django?.jQuery?.(() => {
  for (const select of document.querySelectorAll("select.admin-autocomplete[multiple]")) {
    const label = document.querySelector(`label[for="${select.id}"]`);
    const search = select.nextElementSibling?.querySelector(".select2-search__field");
    if (label && search) {
      search.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim());
    }
  }
});
