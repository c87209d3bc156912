/*
 * What a lesson page does at run time besides the course (lessonkit-course.js):
 *  - names each code block's button bar, which the theme adds as an unnamed <nav>, so that
 *    screen-reader users can tell one from another (every landmark needs its own name);
 *  - fills a collapsed block whose content the build published as a separate file
 *    (<details data-lk-fragment="URL">, see scripts/lessonkit/page/deferred.py) the first time
 *    it is opened, giving its code blocks the copy buttons the theme gives the others; the
 *    link the build left in the block is the way in without JavaScript; then it announces
 *    "lessonkit:filled" on the document for scripts that set up such content.
 */
(function () {
  "use strict";

  function blockName(block, index) {
    var title = block.querySelector(".filename");
    var name = title ? title.textContent.trim() : "";
    if (name === "Output") {
      // An output belongs to the script shown just before it.
      var previous = block.previousElementSibling;
      var script = previous && previous.querySelector(".filename");
      return script ? "Output of " + script.textContent.trim() : "Output " + (index + 1);
    }
    return name || "Code block " + (index + 1);
  }

  function nameCodeBars(root) {
    var seen = {};
    root.querySelectorAll(".highlight").forEach(function (block, index) {
      var bar = block.querySelector("nav.md-code__nav");
      if (!bar) return;
      var name = blockName(block, index);
      seen[name] = (seen[name] || 0) + 1;
      if (seen[name] > 1) name += " (" + seen[name] + ")";
      bar.setAttribute("aria-label", "Code actions: " + name);
    });
  }

  var fetched = 0; // numbers the code blocks of fetched content, for their ids

  // The theme's own copy button (mkdocs-material listens for [data-clipboard-target] clicks
  // anywhere in the page), for code that arrived after the theme set the page up.
  function addCopyButtons(root) {
    root.querySelectorAll("pre > code").forEach(function (code) {
      var pre = code.parentElement;
      pre.id = "__code_lk" + fetched++;
      var bar = document.createElement("nav");
      bar.className = "md-code__nav";
      var button = document.createElement("button");
      button.className = "md-code__button";
      button.title = "Copy to clipboard";
      button.setAttribute("data-clipboard-target", "#" + pre.id + " > code");
      button.setAttribute("data-md-type", "copy");
      bar.appendChild(button);
      pre.insertBefore(bar, code);
    });
  }

  function fillOnOpen(details) {
    if (details.hasAttribute("data-lk-ready")) return;
    details.setAttribute("data-lk-ready", "");
    details.addEventListener("toggle", function load() {
      if (!details.open) return;
      details.removeEventListener("toggle", load);
      var slot = details.querySelector("[data-lk-fragment-slot]");
      fetch(details.getAttribute("data-lk-fragment"))
        .then(function (response) {
          if (!response.ok) throw new Error(response.status + " " + response.statusText);
          return response.text();
        })
        .then(function (text) {
          var main = new DOMParser().parseFromString(text, "text/html").querySelector("main");
          var content = document.createDocumentFragment();
          Array.prototype.forEach.call(main.childNodes, function (node) {
            content.appendChild(document.importNode(node, true));
          });
          slot.replaceWith(content);
          addCopyButtons(details);
          nameCodeBars(details);
          // Other scripts set up what arrived (lessonkit-course.js: the quiz).
          document.dispatchEvent(new CustomEvent("lessonkit:filled", { detail: details }));
        })
        .catch(function () {
          // The link stays; say why nothing else appeared.
          var note = document.createElement("p");
          note.textContent = "This part could not be loaded here; the link above opens it.";
          slot.appendChild(note);
        });
    });
  }

  function init() {
    nameCodeBars(document);
    document.querySelectorAll("details[data-lk-fragment]").forEach(fillOnOpen);
  }

  // document$ (the theme's page observable) emits after the theme has set up the page.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
