// Django's filter boxes (SelectFilter2.js) put an aria-label on a bare <span> help icon,
// which ARIA does not allow (axe: aria-prohibited-attr). As an image, the icon may carry it.
// Registered after SelectFilter2's own "load" handler, so the icons exist by then.
window.addEventListener("load", () => {
  for (const icon of document.querySelectorAll("span.help-tooltip[aria-label]:not([role])")) {
    icon.setAttribute("role", "img");
  }
});
