// Progressive help for the forms; each works without it.
// 1. Leaving a page with answers not yet sent or saved asks first.
// 2. "Add another" fetches the new row instead of reloading the page, so an
//    upload under way is never cancelled by it.
let unsaved = false;
document.addEventListener("input", (event) => {
  if (event.target.form?.hasAttribute("data-warn-unsaved")) unsaved = true;
});
document.addEventListener("submit", () => {
  unsaved = false;
});
addEventListener("beforeunload", (event) => {
  if (unsaved) event.preventDefault();
});

document.addEventListener("click", async (event) => {
  const button = event.target instanceof Element ? event.target.closest("button[name=_add]") : null;
  const form = button?.form;
  if (!form) return;
  event.preventDefault();
  const action = new URL(button.formAction || form.action);
  const group = document.getElementById(action.hash.slice(1));
  const body = new FormData(form);
  for (const [name, value] of [...body]) if (value instanceof File) body.delete(name);
  body.set("_add", button.value);
  try {
    const response = await fetch(action, { method: "POST", body, headers: { Accept: "text/html" } });
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.getElementById(group.id);
    if (!response.ok || !fresh) throw new Error(String(response.status));
    group.replaceWith(document.adoptNode(fresh));
    // Into the new row, for keyboards and screen readers alike.
    const rows = fresh.querySelectorAll(":scope > .row, :scope > .field");
    rows[rows.length - 1]?.querySelector("input, select, textarea")?.focus();
  } catch {
    unsaved = false;
    form.requestSubmit(button);
  }
});
