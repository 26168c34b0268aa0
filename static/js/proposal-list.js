// The proposal list: when htmx has swapped in other results (a page link, which the swap
// removes), move keyboard focus to the result count heading instead of leaving it on <body>.
// After the filter form is sent, focus stays on its button; the count is a live region.
document.addEventListener("htmx:afterSettle", (event) => {
  if (!(event.target instanceof Element) || event.target.id !== "proposal-results") {
    return;
  }
  const active = document.activeElement;
  if (active && active !== document.body && active.isConnected) {
    return;
  }
  const heading = document.getElementById("result-count");
  if (heading) {
    heading.focus();
  }
});
