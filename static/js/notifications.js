// After "Mark as read" replaces a notification in place (htmx), keep keyboard focus on that
// notification instead of letting it fall back to the top of the page.
document.addEventListener("htmx:afterSettle", () => {
  const target = document.querySelector("[data-focus-after-swap]");
  if (target) {
    target.removeAttribute("data-focus-after-swap");
    target.focus();
  }
});
