// "Répondre" without a page load: move the comment form under the comment answered.
// Without JavaScript the link's ?repondre=<id>#reagir does the same through the server.
(function () {
  "use strict";
  var form = document.getElementById("comment-form");
  if (!form) return;
  var home = document.querySelector("[data-form-home]");
  var parent = form.querySelector("input[name=parent]");
  var replying = form.querySelector("[data-replying]");
  var replyingText = form.querySelector("[data-replying-text]");

  // A post that failed comes back at the error summary (the form's action ends with its
  // anchor), which Chromium focuses; other browsers only scroll there: focus it once the
  // page has loaded.
  var summary = form.querySelector(".error-summary");
  if (summary) {
    window.addEventListener("load", function () {
      if (document.activeElement === document.body) summary.focus();
    });
  }

  function reset() {
    parent.value = "";
    replying.hidden = true;
    home.appendChild(form);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-reply-to]");
    if (link) {
      event.preventDefault();
      var comment = document.getElementById("comment-" + link.dataset.replyTo);
      parent.value = link.dataset.replyTo;
      replyingText.textContent = replying.dataset.template
        ? replying.dataset.template.split("%(name)s").join(link.dataset.replyName)
        : link.dataset.replyName;
      replying.hidden = false;
      comment.querySelector(".comment-body").after(form);
      form.querySelector("textarea").focus();
      return;
    }
    if (event.target.closest("[data-cancel-reply]")) {
      event.preventDefault();
      reset();
      form.querySelector("textarea").focus();
    }
  });
})();
