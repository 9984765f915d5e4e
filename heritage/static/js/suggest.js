// Search suggestions for the home search box: fills a <datalist> from /api/v1/suggest.
// Without JavaScript the box is an ordinary search form.
(function () {
  "use strict";
  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list || !window.fetch) return;
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2 || q === last) return;
      timer = setTimeout(function () {
        last = q;
        var url = input.dataset.suggest + "?lang=" + encodeURIComponent(input.dataset.lang) + "&q=" + encodeURIComponent(q);
        fetch(url, { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
          .then(function (data) {
            list.textContent = "";
            (data.suggestions || []).slice(0, 8).forEach(function (s) {
              var option = document.createElement("option");
              option.value = s.label;
              list.appendChild(option);
            });
          })
          .catch(function () {});
      }, 200);
    });
  });
})();
