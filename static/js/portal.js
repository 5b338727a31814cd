// Behaviour that the CSP keeps out of the templates: no inline scripts anywhere.
(function () {
  "use strict";
  document.querySelectorAll("select.js-autosubmit").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // Anonymous visitors see times in their browser's zone; the server reads this cookie.
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && document.cookie.indexOf("ipma_tz=" + zone) === -1) {
      document.cookie = "ipma_tz=" + zone + "; path=/; max-age=31536000; SameSite=Lax";
    }
  } catch (e) { /* an old browser: times stay in UTC */ }
})();
