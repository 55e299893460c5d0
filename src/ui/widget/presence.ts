// The visitor's presence socket (docs/widget.md, "Live visitors"), part of widget.js because it
// runs on every page view, chat or no chat: it tells the account's lobby which page this is and
// receives the operators' invitations. Kept tiny; it never throws into the page.
import type { VisitorServerFrame } from "../../shared/lobby-protocol.ts";

export type Invitation = Extract<VisitorServerFrame, { type: "invitation" }>["invitation"] & { until: number };

const PING_MS = 25_000;
const WATCH_MS = 2_000;

function stored(storage: Storage, key: string, make: () => string): string {
  try {
    return storage.getItem(key) ?? (storage.setItem(key, make()), storage.getItem(key)!);
  } catch {
    return make();
  }
}

/** Opens (and keeps reopening) `/ws/visitors`; `update()` re-sends the page, e.g. when a chat
 * starts or ends. Single-page apps are followed by watching the URL and title. */
export function startPresence(
  base: string,
  account: string,
  chat: () => { chatting: boolean; chatId: string | null },
  onInvitation: (invitation: Invitation | null, id: string) => void,
) {
  const visitor = stored(localStorage, `parley.visitor.${account}`, () => crypto.randomUUID());
  const visitStart = +stored(sessionStorage, `parley.visit.${account}`, () => String(Date.now()));
  let ws: WebSocket | null = null;
  let retry = 1000;
  let sent = "";

  const update = (force?: boolean) => {
    const frame = JSON.stringify({
      type: "page",
      url: location.href,
      title: document.title,
      referrer: document.referrer,
      onSiteMs: 0,
      ...chat(),
    });
    if (ws?.readyState !== 1 || (frame === sent && !force)) return;
    sent = frame;
    ws.send(frame.replace('"onSiteMs":0', `"onSiteMs":${Math.max(0, Date.now() - visitStart)}`));
  };
  const connect = () => {
    ws = new WebSocket(
      `${base.replace(/^http/, "ws")}/ws/visitors?account=${encodeURIComponent(account)}&visitor=${visitor}`,
    );
    ws.onopen = () => ((retry = 1000), update(true));
    ws.onmessage = (event) => {
      const frame = JSON.parse(event.data as string) as VisitorServerFrame;
      if (frame.type === "invitation")
        onInvitation({ ...frame.invitation, until: Date.now() + frame.invitation.ttlMs }, frame.invitation.id);
      else if (frame.type === "invitation_gone") onInvitation(null, frame.id);
    };
    ws.onclose = () => {
      ws = null;
      setTimeout(connect, (retry = Math.min(retry * 2, 30_000)));
    };
  };
  connect();
  setInterval(() => ws?.readyState === 1 && ws.send('{"type":"ping"}'), PING_MS);
  setInterval(update, WATCH_MS);
  return { update: () => update() };
}
