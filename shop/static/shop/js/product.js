// The fragrance picker: every variant's panel is already in the page, so
// choosing a fragrance only shows its panels and puts the child's own URL in
// the address bar. Without this script the picker is a plain GET form.
(function () {
  "use strict";
  var picker = document.querySelector("[data-fragrance-picker]");
  if (!picker) return;
  var page = document.querySelector("[data-product-page]");
  var submit = picker.querySelector("[data-no-js]");
  if (submit) submit.hidden = true;

  function show(radio) {
    var id = radio.value;
    page.querySelectorAll("[data-variant]").forEach(function (el) {
      el.hidden = el.getAttribute("data-variant") !== id;
    });
    if (radio.dataset.url && window.history && history.replaceState) {
      history.replaceState({ variant: id }, "", radio.dataset.url);
    }
    if (radio.dataset.title) {
      document.title = document.title.replace(/^[^|]*\|/, radio.dataset.title + " |");
    }
  }

  // Hidden variants' images are lazy; start loading one as soon as the
  // shopper points at or focuses its option, so the switch shows it at once.
  function warm(event) {
    var radio = event.target.closest("label") && event.target.closest("label").querySelector("input[name=fragrance]");
    if (!radio) return;
    var img = page.querySelector('figure[data-variant="' + radio.value + '"] img');
    if (img && img.loading === "lazy") img.loading = "eager";
  }
  picker.addEventListener("pointerover", warm);
  picker.addEventListener("focusin", warm);

  picker.addEventListener("change", function (event) {
    if (event.target.name === "fragrance") show(event.target);
  });
  picker.addEventListener("submit", function (event) {
    var checked = picker.querySelector("input[name=fragrance]:checked");
    if (checked) {
      event.preventDefault();
      show(checked);
    }
  });
})();
