// City suggestions from the portal's offline gazetteer, for inputs marked data-city-suggest
// (the QTSP application and the fast-track application). Loaded by those pages only.
(function () {
  "use strict";
  document.querySelectorAll("input[data-city-suggest]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var country = input.form && input.form.querySelector("select[name='country']");
    if (!list || !country) { return; }
    var timer = null;
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        if (!country.value || !input.value.trim()) { return; }
        var url = input.dataset.citySuggest + "?country=" + encodeURIComponent(country.value) +
          "&q=" + encodeURIComponent(input.value.trim());
        window.fetch(url, { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { cities: [] }; })
          .then(function (data) {
            list.replaceChildren.apply(list, data.cities.map(function (name) {
              var option = document.createElement("option");
              option.value = name;
              return option;
            }));
          })
          .catch(function () { /* suggestions are a convenience; the form still validates the city */ });
      }, 200);
    });
  });
})();
