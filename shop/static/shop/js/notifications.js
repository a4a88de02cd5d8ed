// A notification's Archive or Delete link ticks its row and submits the list's
// form with that action, as Oscar's notifications.init() (jQuery) did.
(function () {
  "use strict";
  document.querySelectorAll("a[data-behaviours~=archive], a[data-behaviours~=delete]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      link.closest("tr").querySelector("input[type=checkbox]").checked = true;
      link.closest("form").querySelector('button[value="' + link.dataset.behaviours + '"]').click();
    });
  });
})();
