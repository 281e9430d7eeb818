// The admin's tabular inlines scroll sideways when their table is wider than the screen: such a region must
// be reachable with the keyboard (WCAG 2.1.1), so it becomes focusable and is named after its fieldset.
"use strict";
(function () {
  function label(wrapper) {
    var fieldset = wrapper.closest("fieldset");
    var heading = fieldset && fieldset.querySelector("h2, legend");
    return heading ? heading.textContent.trim() : "";
  }
  function update() {
    document.querySelectorAll(".inline-related.tabular div.wrapper").forEach(function (wrapper) {
      var scrolls = wrapper.scrollWidth > wrapper.clientWidth + 1 || wrapper.scrollHeight > wrapper.clientHeight + 1;
      if (scrolls) {
        wrapper.setAttribute("tabindex", "0");
        wrapper.setAttribute("role", "region");
        if (label(wrapper)) { wrapper.setAttribute("aria-label", label(wrapper)); }
      } else if (wrapper.getAttribute("tabindex") === "0") {
        wrapper.removeAttribute("tabindex");
        wrapper.removeAttribute("role");
        wrapper.removeAttribute("aria-label");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", update);
  window.addEventListener("resize", update);
})();
