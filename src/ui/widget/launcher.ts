// The part of the widget every page view pays for: a shadow root on its own host element and
// the round launcher button. The host page's CSS cannot reach into the open shadow root, and
// ours cannot leak out of it.
import type { Texts } from "./texts.ts";

const CSS = `
:host{all:initial;position:fixed;right:20px;bottom:20px;z-index:2147483000;font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2430;--parley-color:#2457d6}
.launcher{width:56px;height:56px;border:0;border-radius:50%;background:var(--parley-color);color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);display:grid;place-items:center;position:relative;padding:0}
.launcher:focus-visible{outline:3px solid #1d2430;outline-offset:3px}
.launcher svg{width:28px;height:28px;fill:currentColor}
.badge{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;border-radius:10px;background:#d62d20;color:#fff;font-size:12px;line-height:20px;text-align:center;padding:0 5px;box-sizing:border-box}
.badge[hidden]{display:none}
`;
const BUBBLE =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"/></svg>';
const CROSS =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M18.3 5.7 12 12l6.3 6.3-1.4 1.4L10.6 13.4 4.3 19.7 2.9 18.3 9.2 12 2.9 5.7 4.3 4.3l6.3 6.3 6.3-6.3z"/></svg>';

type Launcher = {
  root: ShadowRoot;
  button: HTMLButtonElement;
  setOpen(open: boolean, texts: Texts): void;
  setUnread(count: number, texts: Texts): void;
  setColor(color: string): void;
};

export function createLauncher(texts: Texts, onClick: () => void): Launcher {
  const host = document.createElement("div");
  host.id = "parley-widget";
  const root = host.attachShadow({ mode: "open" });
  const style = document.createElement("style");
  style.textContent = CSS;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "launcher";
  button.dataset.testid = "parley-launcher";
  button.setAttribute("aria-haspopup", "dialog");
  const badge = document.createElement("span");
  badge.className = "badge";
  badge.hidden = true;
  badge.setAttribute("aria-hidden", "true");
  button.addEventListener("click", onClick);
  root.append(style, button);
  document.body.append(host);
  let open = false;
  let unread = 0;

  const label = (t: Texts) => {
    // The icons are our own constant markup; no visitor or operator text ever goes through innerHTML.
    button.innerHTML = open ? CROSS : BUBBLE;
    button.append(badge);
    const unreadText = unread && !open ? `, ${t.newMessages.replace("{n}", String(unread))}` : "";
    button.setAttribute("aria-label", (open ? t.closeChat : t.openChat) + unreadText);
    button.setAttribute("aria-expanded", String(open));
  };
  label(texts);
  return {
    root,
    button,
    setOpen(value, t) {
      open = value;
      label(t);
    },
    setUnread(count, t) {
      unread = count;
      badge.textContent = String(count);
      badge.hidden = !count || open;
      label(t);
    },
    setColor(color) {
      if (/^#[0-9a-f]{3}([0-9a-f]{3})?$/i.test(color)) host.style.setProperty("--parley-color", color);
    },
  };
}
