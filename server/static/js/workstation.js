/* Workstation niceties that work without it: copy buttons and confirmations. */
(function () {
  document.addEventListener("click", function (event) {
    var copy = event.target.closest("[data-copy]");
    if (copy) {
      var field = document.querySelector(copy.getAttribute("data-copy"));
      var label = copy.textContent;
      field.select();
      var done = function () {
        copy.textContent = copy.getAttribute("data-copied");
        setTimeout(function () { copy.textContent = label; }, 2000);
      };
      if (navigator.clipboard) { navigator.clipboard.writeText(field.value).then(done, done); }
      else { document.execCommand("copy"); done(); }
    }
    var confirmButton = event.target.closest("[data-confirm]");
    if (confirmButton && !window.confirm(confirmButton.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();
