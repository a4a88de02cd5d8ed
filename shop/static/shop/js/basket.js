// The basket's Remove, Save for later and Move to basket links: each ticks its
// line's hidden checkbox and submits the line's form, as Oscar's jQuery did.
(function () {
  "use strict";
  var fields = { remove: "DELETE", save: "save_for_later", move: "move_to_basket" };
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-behaviours][data-id]");
    if (!link) return;
    var form = link.closest("form");
    var field = fields[link.dataset.behaviours];
    if (!form || !field) return;
    var prefix = form.id === "saved_basket_formset" ? "saved" : "form";
    var box = document.getElementById("id_" + prefix + "-" + link.dataset.id + "-" + field);
    if (!box) return;
    event.preventDefault();
    box.checked = true;
    form.requestSubmit ? form.requestSubmit() : form.submit();
  });
})();
