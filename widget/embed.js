/* Frontdesk on a clinic's own website. Each <script data-frontdesk="LINK"> tag or [data-frontdesk]
 * element becomes an inline iframe sized to its content, or (data-mode="popup") a button opening the
 * form in a modal dialog. The frame's events come back as frontdesk:* DOM events on that element.
 * It loads on someone else's page, so it depends on nothing and window.Frontdesk is its one global:
 * a second copy of this file only looks for new elements. Messages are trusted only from a frame
 * this script made, at that frame's origin, and the one message posted to a frame names its origin.
 * Written in ES5 like frame.js; the asset build's minifier shortens the local names it ships. */
(function (window, document) {
  if (window.Frontdesk) return window.Frontdesk.scan();

  var MODE = /^(inline|popup)$/, COLOR = /^#[0-9a-f]{6}$/i, LANGUAGE = /^[a-z]{2,3}([_-][a-z0-9]{2,8})?$/i,
    EVENTS = /^(submitted|booked|cancelled|rescheduled)$/;

  // A script tag keeps its place and the embed follows it; any other element is filled with it.
  function place(element, node) {
    if (element.tagName === "SCRIPT") element.after(node);
    else element.replaceChildren(node);
  }

  // The form is told the website's origin (the only one it will post to) and what to show; the name
  // and email it may fill in go by message once it is ready, never in its address (nor in logs).
  // Each frame hears its own messages: from its window, at its origin, nothing else.
  function createFrame(url, options, element, closeButton) {
    var frame = document.createElement("iframe"), query = url.searchParams;
    query.set("origin", location.origin);
    if (options.lang) query.set("lang", options.lang);
    if (options.color) query.set("accent", options.color);
    frame.src = url;
    frame.title = options.title || "Frontdesk";
    frame.style.cssText = "display:block;width:100%;height:600px;border:0";
    window.addEventListener("message", function (event) {
      var message = event.data;
      if (event.source !== frame.contentWindow || event.origin !== url.origin || !message
        || message.source !== "frontdesk") return;
      if (message.type === "ready") {
        frame.contentWindow.postMessage({source: "frontdesk", type: "prefill", name: options.name,
          email: options.email}, url.origin);
      }
      if (message.type === "resize" && message.height > 0) frame.style.height = message.height + "px";
      if (closeButton) {
        // A popup's Close button takes its name from the form, in the form's language.
        if (message.close) closeButton.ariaLabel = message.close;
        if (message.type === "close") closeButton.click();
      }
      if (EVENTS.test(message.type)) {
        element.dispatchEvent(new CustomEvent("frontdesk:" + message.type, {bubbles: true, detail: {id: message.id}}));
      }
    });
    return frame;
  }

  // Black or white text, whichever reads better on the chosen colour (YIQ brightness).
  function textColorOn(color) {
    var rgb = parseInt(color.slice(1), 16);
    return (rgb >> 16) * 299 + (rgb >> 8 & 255) * 587 + (rgb & 255) * 114 > 15e4 ? "#000" : "#fff";
  }

  // The dialog and its frame are made on the first click only.
  function createPopupButton(url, options, element) {
    var button = document.createElement("button"), color = options.color || "#1f5fbf", dialog;
    button.type = "button";
    button.textContent = options.label || options.title || "Frontdesk";
    button.style.cssText = "font:inherit;font-weight:600;padding:.7em 1.2em;border:0;border-radius:6px;background:"
      + color + ";color:" + textColorOn(color);
    button.onclick = function () {
      dialog = dialog || createDialog(url, options, element, button);
      dialog.showModal();
    };
    return button;
  }

  function createCloseButton() {
    var closeButton = document.createElement("button");
    closeButton.type = "button";
    closeButton.textContent = "\u00d7";
    closeButton.ariaLabel = "Close";
    closeButton.style.cssText =
      "position:sticky;top:0;display:block;margin-left:auto;width:44px;height:44px;font-size:28px;border:0;background:#fff";
    return closeButton;
  }

  function createDialog(url, options, element, button) {
    var dialog = document.createElement("dialog"), closeButton = createCloseButton(), frame, end;
    dialog.ariaLabel = options.title || button.textContent;
    // The browser keeps a modal dialog inside the window and scrolls it. The shadow dims the page:
    // styles set here survive a website's CSP, a <style> element may not.
    dialog.style.cssText = "width:42rem;padding:0;border:0;border-radius:8px;background:#fff;box-shadow:0 0 0 100vmax #0008";
    closeButton.onclick = function () {
      dialog.close();
    };
    dialog.onclose = function () {
      button.focus();
    };
    frame = createFrame(url, options, element, closeButton);
    // Focus goes round inside the dialog: Tab past the form's last field comes back to Close, and
    // Shift+Tab on Close asks the form (at its origin only) to focus its last field.
    closeButton.onkeydown = function (event) {
      if (event.key === "Tab" && event.shiftKey) {
        event.preventDefault();
        frame.focus();
        frame.contentWindow.postMessage({source: "frontdesk", type: "focus-last"}, url.origin);
      }
    };
    end = document.createElement("span");
    end.tabIndex = 0;
    end.onfocus = function () {
      closeButton.focus();
    };
    dialog.append(closeButton, frame, end);
    document.body.append(dialog);
    return dialog;
  }

  function hasValidOptions(options, mode) {
    return MODE.test(mode) && (!options.color || COLOR.test(options.color))
      && (!options.lang || LANGUAGE.test(options.lang));
  }

  // Options the form would not understand leave a plain link to it rather than a broken embed.
  function createLink(url, options, element) {
    var link = document.createElement("a");
    console.warn("Frontdesk: bad data-mode, data-color or data-lang", element);
    link.href = url;
    link.textContent = options.label || options.title || url;
    return link;
  }

  function build(element) {
    var options = element.dataset, mode = options.mode || "inline", url;
    try {
      url = new URL(options.frontdesk);
    } catch (error) {}
    if (!url || !/^https?:$/.test(url.protocol)) {
      return console.warn("Frontdesk: data-frontdesk is not a link", element);
    }
    place(element, !hasValidOptions(options, mode) ? createLink(url, options, element)
      : mode === "popup" ? createPopupButton(url, options, element) : createFrame(url, options, element));
  }

  // Each element is built once, however many copies of this file scan the page.
  function scan() {
    document.querySelectorAll("[data-frontdesk]").forEach(function (element) {
      if (!element.frontdesk) {
        element.frontdesk = 1;
        build(element);
      }
    });
  }

  window.Frontdesk = {scan: scan};
  scan();
  document.addEventListener("DOMContentLoaded", scan);
})(window, document);
