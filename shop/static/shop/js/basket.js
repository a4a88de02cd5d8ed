// The saved-for-later list's Move to basket and Remove links: each ticks its
// line's hidden checkbox and submits the list's form, as Oscar's jQuery did.
// (The basket's own lines use real buttons: templates/oscar/basket/partials.)
(function () {
  "use strict";
  var fields = { remove: "DELETE", move: "move_to_basket" };
  document.addEventListener("click", function (event) {
    var link = event.target.closest("#saved_basket_formset a[data-behaviours][data-id]");
    if (!link) return;
    var box = document.getElementById(
      "id_saved-" + link.dataset.id + "-" + fields[link.dataset.behaviours]
    );
    if (!box) return;
    event.preventDefault();
    box.checked = true;
    link.closest("form").submit();
  });
})();
