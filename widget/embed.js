/* Frontdesk on a clinic's own website. Each <script data-frontdesk="LINK"> tag or [data-frontdesk]
 * element becomes an inline iframe sized to its content, or (data-mode="popup") a button opening the
 * form in a modal dialog. The frame's events come back as frontdesk:* DOM events on that element.
 * Hand-written and tiny because it loads on someone else's page; window.Frontdesk is its one global,
 * so a second copy of this file only looks for new elements. Messages are trusted only from a frame
 * this script made, at that frame's origin, and the one message posted to a frame names its origin. */
(function (w, d) {
  if (w.Frontdesk) return w.Frontdesk.scan();
  var frames = [];

  function put(el, node) {
    el.tagName == "SCRIPT" ? el.after(node) : el.replaceChildren(node);
  }

  function frame(url, a, el, x) {
    var f = d.createElement("iframe"), q = url.searchParams;
    q.set("origin", location.origin);
    ["lang", "name", "email"].forEach(k => a[k] && q.set(k, a[k]));
    a.color && q.set("accent", a.color);
    f.src = url;
    f.title = a.title || "Frontdesk";
    f.style.cssText = "display:block;width:100%;height:600px;border:0";
    frames.push({f, el, x, origin: url.origin});
    return f;
  }

  function popup(url, a, el) {
    var b = d.createElement("button"), c = a.color || "#1f5fbf", n = parseInt(c.slice(1), 16), dialog, x, f, end;
    b.type = "button";
    b.textContent = a.label || a.title || "Frontdesk";
    // Black or white text, whichever reads better on the chosen colour (YIQ brightness).
    b.style.cssText = "font:inherit;font-weight:600;padding:.7em 1.2em;border:0;border-radius:6px;background:"
      + c + ";color:" + ((n >> 16) * 299 + (n >> 8 & 255) * 587 + (n & 255) * 114 > 15e4 ? "#000" : "#fff");
    b.onclick = () => {
      if (!dialog) {
        dialog = d.createElement("dialog");
        dialog.ariaLabel = a.title || b.textContent;
        // The browser keeps a modal dialog inside the window and scrolls it. The shadow dims the page:
        // styles set here survive a website's CSP, a <style> element may not.
        dialog.style.cssText = "width:42rem;padding:0;border:0;border-radius:8px;background:#fff;box-shadow:0 0 0 100vmax #0008";
        x = d.createElement("button");
        x.type = "button";
        x.textContent = "\u00d7";
        x.ariaLabel = "Close";
        x.style.cssText = "position:sticky;top:0;display:block;margin-left:auto;width:44px;height:44px;font-size:28px;border:0;background:#fff";
        x.onclick = () => dialog.close();
        dialog.onclose = () => b.focus();
        f = frame(url, a, el, x);
        // Focus goes round inside the dialog: Tab past the form's last field comes back to Close, and
        // Shift+Tab on Close asks the form (at its origin only) to focus its last field.
        x.onkeydown = e => {
          if (e.key == "Tab" && e.shiftKey) {
            e.preventDefault();
            f.focus();
            f.contentWindow.postMessage({source: "frontdesk", type: "focus-last"}, url.origin);
          }
        };
        end = d.createElement("span");
        end.tabIndex = 0;
        end.onfocus = () => x.focus();
        dialog.append(x, f, end);
        d.body.append(dialog);
      }
      dialog.showModal();
    };
    return b;
  }

  function build(el) {
    var a = el.dataset, mode = a.mode || "inline", url, link;
    try {
      url = new URL(a.frontdesk);
    } catch (e) {}
    if (!url || !/^https?:$/.test(url.protocol)) return console.warn("Frontdesk: data-frontdesk is not a link", el);
    if (!/^(inline|popup)$/.test(mode) || a.color && !/^#[0-9a-f]{6}$/i.test(a.color)
        || a.lang && !/^[a-z]{2,3}([_-][a-z0-9]{2,8})?$/i.test(a.lang)) {
      console.warn("Frontdesk: check data-mode, data-color, data-lang; showing a link", el);
      link = d.createElement("a");
      link.href = url;
      link.textContent = a.label || a.title || url;
      return put(el, link);
    }
    put(el, mode == "popup" ? popup(url, a, el) : frame(url, a, el));
  }

  function scan() {
    d.querySelectorAll("[data-frontdesk]").forEach(el => {
      if (!el.frontdesk) {
        el.frontdesk = 1;
        build(el);
      }
    });
  }

  w.addEventListener("message", e => {
    var m = e.data;
    frames.forEach(r => {
      if (e.source != r.f.contentWindow || e.origin != r.origin || !m || m.source != "frontdesk") return;
      if (m.type == "resize" && m.height > 0) r.f.style.height = m.height + "px";
      // A popup's Close button takes its name from the form, in the form's language.
      if (r.x && m.close) r.x.ariaLabel = m.close;
      if (m.type == "close") r.x?.click();
      if (/^(submitted|booked|cancelled|rescheduled)$/.test(m.type)) {
        r.el.dispatchEvent(new CustomEvent("frontdesk:" + m.type, {bubbles: true, detail: {id: m.id}}));
      }
    });
  });
  w.Frontdesk = {scan};
  scan();
  d.addEventListener("DOMContentLoaded", scan);
})(window, document);
