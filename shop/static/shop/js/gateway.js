// The checkout gateway: the password field is for returning customers only,
// as Oscar's gateway.init() (jQuery) did.
(function () {
  "use strict";
  var password = document.getElementById("id_password");
  var options = document.querySelectorAll("input[name=options]");
  function sync() {
    var checked = document.querySelector("input[name=options]:checked");
    if (password) password.disabled = !checked || checked.value !== "existing";
  }
  options.forEach(function (option) {
    option.addEventListener("change", sync);
  });
  sync();
})();
