// The organization portal's small behaviours (the CSP keeps scripts out of the templates).
(function () {
  "use strict";
  // "Copy" buttons next to the badge snippet: data-copy-target names the textarea to copy.
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy-target"));
      if (!source) { return; }
      source.select();
      var done = function () { button.textContent = button.getAttribute("data-copied-label") || button.textContent; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(source.value).then(done, function () { document.execCommand("copy"); done(); });
      } else {
        document.execCommand("copy");
        done();
      }
    });
  });
})();
