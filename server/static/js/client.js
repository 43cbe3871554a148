/* Client pages: progressive enhancement only, every page works without it. No cookies, no storage.
   After a form is sent, its answer (the list of errors, or the confirmation) is at the top of the
   page. Inside a clinic's iframe the visitor may still be looking further down, where the button was,
   and `autofocus` does not work in a frame from another origin: move focus to the answer, which also
   scrolls the clinic's page to it and has screen readers read it first.
   Only while nothing has focus yet: never take focus back from where the visitor has moved it. */
(function () {
  var target = document.querySelector("[data-focus-on-load]");
  var active = document.activeElement;
  if (target && (!active || active === document.body || active === document.documentElement)) {
    target.focus();
  }
})();

/* Times on client pages are shown in the browser's timezone. The server needs to be told it: a page
   shown in another timezone is asked for once more with ?tz=, and forms carry it in their `tz` field
   so that emails show the client's own time too. */
(function () {
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone) { return; }
  var fields = document.querySelectorAll("input[name=tz]");
  for (var i = 0; i < fields.length; i++) { fields[i].value = zone; }
  var shown = document.documentElement.getAttribute("data-timezone");
  if (shown && shown !== zone && !/[?&]tz=/.test(location.search)) {
    location.replace(location.pathname + (location.search ? location.search + "&" : "?") +
                     "tz=" + encodeURIComponent(zone) + location.hash);
  }
})();
