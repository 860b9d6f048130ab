// "Copier le lien" on article pages, where the browser lets a page copy (JavaScript and a
// secure context). The other share links are plain links and need no script.
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) return;
  document.querySelectorAll("[data-share]").forEach(function (share) {
    var item = share.querySelector("[data-share-copy]");
    var button = item.querySelector("button");
    var status = share.querySelector("[data-share-status]");
    item.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = "";
      navigator.clipboard.writeText(button.dataset.url).then(
        function () { status.textContent = button.dataset.done; },
        function () { status.textContent = button.dataset.failed; }
      );
    });
  });
})();
