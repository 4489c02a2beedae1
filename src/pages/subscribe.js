// Copy buttons for the feed addresses. The addresses are selectable text
// without this script; it only adds the buttons.
"use strict";
document.documentElement.classList.add("js");
for (const button of document.querySelectorAll("button[data-copy]")) {
  const label = button.textContent;
  let shown = 0;
  button.addEventListener("click", async () => {
    const input = document.getElementById(button.dataset.copy);
    input.select();
    try {
      await navigator.clipboard.writeText(input.value);
    } catch (_) {
      document.execCommand("copy");
    }
    button.textContent = button.dataset.copied;
    const mine = ++shown;
    setTimeout(() => { if (mine === shown) button.textContent = label; }, 1500);
  });
}
