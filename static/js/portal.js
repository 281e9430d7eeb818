// Small progressive enhancements; every page works without them.
// A button with data-confirm asks once, when its form is really sent: the browser checks the form's
// required fields first (the reason of a withdrawal, say), so the question comes after them, never before.
document.addEventListener("submit", (event) => {
  const button = event.submitter;
  if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});
