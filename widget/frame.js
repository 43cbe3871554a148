/* Runs in every client page, framed or not. When widget/embed.js framed the page, its first address
 * carries `origin`, the clinic website's origin, and maybe `accent`; the frame keeps both in its own
 * window.name, which outlives every navigation inside the frame (links, GET and POST forms, errors,
 * the language switcher, the way back), so each page of a journey knows them without the server
 * threading them through every link. Messages go to that origin only (never "*"), so a page that
 * frames the form under a false `origin` hears nothing. Without it nothing is posted.
 * The page reports its height whenever it changes, so the website sizes the iframe to it (with the
 * name of the website's Close button in the page's language, for a popup), and a page
 * that records something says so: <body data-frontdesk-event="submitted" data-frontdesk-id="12">
 * posts {type: "submitted", id: "12"} (ids only, never names or emails). Esc asks the website to
 * close its dialog, because a key pressed inside a cross-origin frame never reaches the website.
 * Each page says "ready"; the website may answer with the name and email it already knows, which
 * fill the empty fields of that name: personal data travels by message, never in an address.
 * `accent`, a hex colour, becomes the page's --accent when it reads well on white. */
(function () {
  var KEPT = "frontdesk:", query = new URLSearchParams(location.search), root = document.documentElement,
    body = document.body, kept = {};
  try {
    if (window.name.indexOf(KEPT) === 0) kept = JSON.parse(window.name.slice(KEPT.length));
  } catch (error) {}
  var accent = query.get("accent") || kept.accent, origin = query.get("origin") || kept.origin;

  // The pages use the accent for links on white and under white text, so a colour is taken only where
  // both read well (WCAG contrast 4.5:1 with white); a lighter one leaves the pages' own accent.
  function luminance(hex) {
    return [0, 2, 4].reduce(function (sum, at, i) {
      var c = parseInt(hex.substr(1 + at, 2), 16) / 255;
      return sum + [0.2126, 0.7152, 0.0722][i] * (c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
    }, 0);
  }

  if (/^#[0-9a-f]{6}$/i.test(accent) && 1.05 / (luminance(accent) + 0.05) >= 4.5) {
    root.style.setProperty("--accent", accent);
  }

  function isWebOrigin(text) {
    try {
      var url = new URL(text);
      return /^https?:$/.test(url.protocol) && url.origin === text;
    } catch (error) {
      return false;
    }
  }

  if (window.parent === window || !isWebOrigin(origin)) return;
  window.name = KEPT + JSON.stringify({origin: origin, accent: accent});

  function post(message) {
    message.source = "frontdesk";
    window.parent.postMessage(message, origin);
  }

  new ResizeObserver(function () {
    post({type: "resize", height: Math.ceil(root.getBoundingClientRect().height), close: root.dataset.frontdeskClose});
  }).observe(root);
  if (body.dataset.frontdeskEvent) {
    post({type: body.dataset.frontdeskEvent, id: body.dataset.frontdeskId});
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") post({type: "close"});
  });

  function fill(data) {
    ["name", "email"].forEach(function (key) {
      var field = document.querySelector("form input[name=" + key + "]");
      if (field && !field.value && typeof data[key] === "string") field.value = data[key].slice(0, field.maxLength > 0 ? field.maxLength : 254);
    });
  }

  // The website's dialog, when Shift+Tab leaves its Close button backwards, hands focus to our last
  // field, and the website answers "ready" with what it prefills; only our parent, at its origin, may.
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.source !== window.parent || event.origin !== origin || !data || data.source !== "frontdesk") return;
    if (data.type === "prefill") fill(data);
    if (data.type !== "focus-last") return;
    var fields = Array.prototype.filter.call(document.querySelectorAll("a[href], button, input, select, textarea"),
      function (field) { return field.tabIndex >= 0 && !field.disabled && field.getClientRects().length; });
    if (fields.length) fields[fields.length - 1].focus();
  });
  post({type: "ready"});
})();
