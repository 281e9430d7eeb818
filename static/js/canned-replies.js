// The canned-reply picker beside a reply box of the admin: choosing a reply puts its text, already filled
// from the case, in the box, where the agent can still edit it.
(function () {
  "use strict";
  function pick(event) {
    var select = event.target;
    var option = select.options[select.selectedIndex];
    var target = document.getElementById(select.dataset.cannedTarget);
    if (!target || !option || !option.dataset.text) {
      return;
    }
    target.value = option.dataset.text;
    target.dispatchEvent(new Event("input", { bubbles: true }));
    target.focus();
  }
  function init() {
    document.querySelectorAll("select[data-canned-target]").forEach(function (select) {
      select.addEventListener("change", pick);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
