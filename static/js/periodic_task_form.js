// A periodic task's crontab in words under the field (django-celery-beat's inline script, moved here: the Content
// Security Policy runs no inline script).
(function () {
  "use strict";
  var script = document.getElementById("periodic-task-overrides");
  var data = document.getElementById("readable-crontabs");
  var select = document.getElementById("id_crontab");
  var help = document.querySelector(".field-crontab .help");
  var translation = document.querySelector(".field-crontab_translation");
  if (translation) { translation.hidden = true; }
  if (!script || !data || !select || !help) { return; }
  var readable = JSON.parse(data.textContent);
  var original = help.textContent;
  function update() {
    var words = readable[select.value];
    help.textContent = original;
    if (words) {
      help.appendChild(document.createElement("br"));
      help.appendChild(document.createTextNode(script.dataset.label + " " + words));
    }
  }
  select.addEventListener("change", update);
  update();
})();
