// Claim wizard: show the "other problem" kinds only when that reason is chosen; send the claim once.
(() => {
  const form = document.querySelector("[data-testid=claim-wizard]");
  if (!form) {
    return;
  }
  const otherKind = form.querySelector("[data-other-kind]");
  if (otherKind) {
    const otherRadio = form.querySelector("input[name$='-reason'][value=other]");
    const sync = () => otherKind.classList.toggle("d-none", !(otherRadio && otherRadio.checked));
    form.addEventListener("change", sync);
    sync();
  }
  form.addEventListener("submit", (event) => {
    const button = event.submitter;
    if (button && button.hasAttribute("data-once")) {
      // The server answers a second submit too; this only spares the buyer a double click.
      window.setTimeout(() => { button.disabled = true; }, 0);
    }
  });
})();
