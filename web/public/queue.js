// The queue by keyboard: j and k move between rows, Enter opens the row (its
// link has the focus), x ticks its box. Only an enhancement: without it the
// queue works the same with Tab, Enter and clicks.
(() => {
  const rows = () => [...document.querySelectorAll("table.queue tbody tr")];
  let at = -1;
  const go = (index) => {
    const list = rows();
    if (list.length === 0) return;
    at = Math.max(0, Math.min(list.length - 1, index));
    for (const [n, row] of list.entries()) row.classList.toggle("current", n === at);
    list[at].querySelector("a")?.focus();
  };
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target instanceof Element && event.target.closest("input, select, textarea, button")) return;
    if (event.key === "j") go(at + 1);
    else if (event.key === "k") go(at - 1);
    else if (event.key === "x" && at >= 0) {
      const box = rows()[at]?.querySelector('input[type="checkbox"]');
      if (box) box.checked = !box.checked;
    } else return;
    event.preventDefault();
  });
})();
