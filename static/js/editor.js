// The article editor (django-prose-editor), in French and without its icon font: each
// toolbar button gets a French name and an icon drawn here, and the text area is named
// by the field's label ("Texte") and described by its help text. Without JavaScript the
// plain textarea stays, with its own label.
(function () {
  "use strict";
  var _ = window.gettext || function (text) { return text; };
  var SVG = "http://www.w3.org/2000/svg";

  // The editor's English names (button titles and menu entries), in French, with an icon:
  // a character every font has, or an SVG path on a 24 px grid.
  var ITEMS = {
    "paragraph": {name: _("Paragraphe"), text: "¶"},
    "heading 2": {name: _("Intertitre"), text: "T2"},
    "heading 3": {name: _("Sous-intertitre"), text: "T3"},
    "unordered list": {name: _("Liste à puces"), path: "M9 6h11M9 12h11M9 18h11M4 6h.01M4 12h.01M4 18h.01"},
    "ordered list": {name: _("Liste numérotée"), path: "M10 6h10M10 12h10M10 18h10M4 4.5 5.5 3.5V9M3.5 14.5a1.5 1.5 0 1 1 2.5 1.2L3.5 19h3"},
    "blockquote": {name: _("Citation"), text: "«"},
    "bold": {name: _("Gras"), text: "G", className: "editor-icon--bold"},
    "italic": {name: _("Italique"), text: "I", className: "editor-icon--italic"},
    "insert link": {name: _("Insérer un lien"), path: "M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1.2 1.2M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1.2-1.2"},
    "remove link": {name: _("Retirer le lien"), path: "M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1.2 1.2M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1.2-1.2M4 4l16 16"},
    "undo": {name: _("Annuler"), path: "M9 14 4 9l5-5M4 9h10.5a5.5 5.5 0 0 1 0 11H11"},
    "redo": {name: _("Rétablir"), path: "M15 14l5-5-5-5M20 9H9.5a5.5 5.5 0 0 0 0 11H13"},
    "Propriétés de la liste": {name: _("Propriétés de la liste"), path: "M4 7h9M17 7h3M4 17h3M11 17h9M15 5v4M9 15v4"},
    "Heading 2": {name: _("Intertitre")},
    "Heading 3": {name: _("Sous-intertitre")},
    "Paragraph": {name: _("Paragraphe")},
  };

  function icon(item) {
    if (item.path) {
      var svg = document.createElementNS(SVG, "svg");
      svg.setAttribute("viewBox", "0 0 24 24");
      svg.setAttribute("aria-hidden", "true");
      svg.setAttribute("focusable", "false");
      var path = document.createElementNS(SVG, "path");
      path.setAttribute("d", item.path);
      svg.appendChild(path);
      return svg;
    }
    var span = document.createElement("span");
    span.className = "editor-icon " + (item.className || "");
    span.setAttribute("aria-hidden", "true");
    span.textContent = item.text;
    return span;
  }

  function translateButton(button) {
    var key = button.dataset.editorKey || button.getAttribute("title");
    var item = ITEMS[key];
    if (!item || button.dataset.editorKey === key && button.getAttribute("aria-label") === item.name) return;
    button.dataset.editorKey = key;
    button.title = item.name;
    button.setAttribute("aria-label", item.name);
    button.classList.remove("material-icons");
    button.replaceChildren(icon(item));
  }

  function translateOption(option) {
    var label = option.firstElementChild || option;
    var item = ITEMS[label.textContent.trim()];
    if (item) label.textContent = item.name;
  }

  function translate(menubar) {
    menubar.querySelectorAll(".prose-menubar__button").forEach(translateButton);
    menubar.querySelectorAll(".prose-menubar__option").forEach(translateOption);
  }

  function setUp(container) {
    var textbox = container.querySelector("[contenteditable]");
    var textarea = container.querySelector("textarea");
    if (container.dataset.editorFr || !textbox || !textarea) return;
    container.dataset.editorFr = "1";

    // The label named a textarea the editor hides: it now names the editor's text box.
    var label = document.querySelector("label[for='" + textarea.id + "']");
    if (label) {
      label.id = label.id || textarea.id + "_label";
      label.removeAttribute("for");
      textbox.setAttribute("aria-labelledby", label.id);
      label.addEventListener("click", function () { textbox.focus(); });
    }
    textbox.setAttribute("aria-multiline", "true");
    var describedBy = textarea.getAttribute("aria-describedby");
    if (describedBy) textbox.setAttribute("aria-describedby", describedBy);
    if (textarea.getAttribute("aria-invalid")) textbox.setAttribute("aria-invalid", "true");

    // The toolbar may come after the text box; the menu redraws its current block type as
    // the cursor moves. Translate whenever it changes.
    var watched = null;
    function toolbar() {
      var menubar = container.querySelector(".prose-menubar");
      if (!menubar) return;
      if (menubar !== watched) {
        watched = menubar;
        menubar.setAttribute("role", "toolbar");
        menubar.setAttribute("aria-label", _("Mise en forme du texte"));
        new MutationObserver(function () { translate(menubar); })
          .observe(menubar, {childList: true, subtree: true});
      }
      translate(menubar);
    }
    new MutationObserver(toolbar).observe(container, {childList: true});
    toolbar();
  }

  function setUpAll() {
    document.querySelectorAll(".prose-editor").forEach(setUp);
  }

  document.addEventListener("prose-editor:ready", function (event) {
    var container = event.target.closest(".prose-editor");
    if (container) setUp(container);
  });
  document.addEventListener("DOMContentLoaded", setUpAll);
  setUpAll();
})();
