// Behaviour that the CSP keeps out of the templates: no inline scripts anywhere.
(function () {
  "use strict";
  var unsaved = null;  // the form someone typed into and has not sent (see below)
  document.querySelectorAll("select.js-autosubmit").forEach(function (select) {
    select.addEventListener("change", function () {
      if (unsaved === select.form) { unsaved = null; }  // form.submit() sends no submit event
      select.form.submit();
    });
  });
  // What someone typed into a form is not lost to a click elsewhere (the language menu, a link) without the
  // browser's "leave this page?" question; sending the form itself asks nothing.
  document.querySelectorAll("main form[method=post]").forEach(function (form) {
    form.addEventListener("input", function () { unsaved = form; });
    form.addEventListener("submit", function () { if (unsaved === form) { unsaved = null; } });
  });
  window.addEventListener("beforeunload", function (event) {
    if (unsaved && document.body.contains(unsaved)) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  // Anonymous visitors see times in their browser's zone; the server reads this cookie.
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && document.cookie.indexOf("ipma_tz=" + zone) === -1) {
      document.cookie = "ipma_tz=" + zone + "; path=/; max-age=31536000; SameSite=Lax";
    }
  } catch (e) { /* an old browser: times stay in UTC */ }
})();
