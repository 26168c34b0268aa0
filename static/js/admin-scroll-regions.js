// The case page's read-only tables (the admin's tabular inlines) sit in a box that scrolls
// sideways when the table is wider than the screen (Django's div.wrapper, overflow-x: auto).
// A mouse or a finger can scroll it; a keyboard can only if the box takes focus (WCAG 2.1.1,
// axe's scrollable-region-focusable). So while a box scrolls it is a named region in the tab
// order, and the arrow keys scroll it; while its table fits it is no tab stop at all.
(() => {
  const BOXES = ".inline-related.tabular div.wrapper";

  function update(box) {
    const scrolls = box.scrollWidth > box.clientWidth;
    if (scrolls && !box.hasAttribute("tabindex")) {
      // Named like the inline (its h2, which Django gives an id), so "region, Dialogue …".
      const heading = box.closest("fieldset")?.querySelector(".inline-heading[id]");
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      if (heading) {
        box.setAttribute("aria-labelledby", heading.id);
      }
      box.dataset.scrollRegion = "";
    } else if (!scrolls && "scrollRegion" in box.dataset) {
      for (const name of ["tabindex", "role", "aria-labelledby", "data-scroll-region"]) {
        box.removeAttribute(name);
      }
    }
  }

  function start() {
    const boxes = document.querySelectorAll(BOXES);
    const observer = new ResizeObserver((entries) => {
      for (const entry of entries) {
        const box = entry.target.closest(BOXES);
        if (box) {
          update(box);
        }
      }
    });
    for (const box of boxes) {
      update(box);
      observer.observe(box); // the screen got narrower or wider
      if (box.firstElementChild) {
        observer.observe(box.firstElementChild); // the table got wider or narrower
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
