/* Runs in every client page, framed or not. When widget/embed.js framed the page, its address
 * carries `origin`, the clinic website's origin: messages go to that origin only (never "*"), so a
 * page that frames the form under a false `origin` hears nothing. Without it nothing is posted.
 * The page reports its height whenever it changes, so the website sizes the iframe to it (with the
 * name of the website's Close button in the page's language, for a popup), and a page
 * that records something says so: <body data-frontdesk-event="submitted" data-frontdesk-id="12">
 * posts {type: "submitted", id: "12"} (ids only, never names or emails). Esc asks the website to
 * close its dialog, because a key pressed inside a cross-origin frame never reaches the website.
 * The one message listened to comes from the parent at `origin` and only moves focus.
 * `accent`, a hex colour, becomes the page's --accent when it reads well on white. */
(function () {
  var query = new URLSearchParams(location.search), root = document.documentElement, body = document.body;
  var accent = query.get("accent"), origin = query.get("origin");

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
  // The website's dialog, when Shift+Tab leaves its Close button backwards, hands focus to our last
  // field; only our parent, at the origin it was given, may ask.
  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || event.origin !== origin || !event.data || event.data.type !== "focus-last") return;
    var fields = Array.prototype.filter.call(document.querySelectorAll("a[href], button, input, select, textarea"),
      function (field) { return field.tabIndex >= 0 && !field.disabled && field.getClientRects().length; });
    if (fields.length) fields[fields.length - 1].focus();
  });
})();
