// The shareable chat page, /chat/<account>?department=<id> (docs/chat-page.md): the widget's own
// chat part, mounted full-page on Parley's origin instead of behind a launcher on a customer's
// site. The Worker has checked the account and put its name in the title; this script reads the
// account's public config, takes the link's department if the account has it, and mounts the chat.
import type { WidgetConfig } from "../../shared/widget-api.ts";
import { savedChatKey, type ChatModule, type ChatUi } from "../widget/contract.ts";
import { startPresence, type Invitation } from "../widget/presence.ts";
import { languages, pickTexts } from "../widget/texts.ts";

/** After the window's own styles: the window fills the page (centred, at most 720px wide) and has
 * no close button, there being nothing behind it to go back to. */
const PAGE_CSS = `
:host{all:initial;display:block;height:100%;font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2430;--parley-color:#2457d6}
.window{position:relative;inset:auto;margin:0 auto;width:100%;max-width:720px;height:100%;border-radius:0;box-shadow:0 0 24px rgba(0,0,0,.12)}
header{padding:14px 16px}
header h2{font-size:18px}
header button:last-child{display:none}
`;

function readConfig(base: string, account: string, department?: string): Promise<WidgetConfig | null> {
  const query = `account=${encodeURIComponent(account)}${department ? `&department=${encodeURIComponent(department)}` : ""}`;
  return fetch(`${base}/api/widget/config?${query}`)
    .then((res) => (res.ok ? (res.json() as Promise<WidgetConfig>) : null))
    .catch(() => null);
}

/** A chat already running on this origin (a reload, or the link opened again), for presence. */
function savedChat(account: string): { chatting: boolean; chatId: string | null } {
  try {
    const saved = JSON.parse(localStorage.getItem(savedChatKey(account)) ?? "null") as {
      ended?: boolean;
      session?: { chatId: string };
    } | null;
    if (saved?.session && !saved.ended) return { chatting: true, chatId: saved.session.chatId };
  } catch {
    // Storage blocked: nothing to bring back.
  }
  return { chatting: false, chatId: null };
}

const browserTexts = () => pickTexts(navigator.languages ?? [navigator.language]);

function unavailable(): void {
  const note = document.createElement("p");
  note.className = "unavailable";
  note.setAttribute("role", "alert");
  note.textContent = browserTexts().unavailable;
  document.body.append(note);
}

async function start(): Promise<void> {
  const base = location.origin;
  const account = decodeURIComponent(location.pathname.split("/")[2] ?? "");
  const wanted = new URLSearchParams(location.search).get("department");
  const chatPart = import(/* @vite-ignore */ `${base}/widget/${__PARLEY_CHAT_FILE__}`) as Promise<ChatModule>;
  const general = await readConfig(base, account);
  if (!general) return unavailable();
  // A department the account does not have (deleted, mistyped): the account's own routing, as if
  // the link named none. The visitor is not told; the chat works all the same.
  const department = general.departments.some((d) => d.id === wanted) ? wanted! : undefined;
  // With a department, "online" means someone of that department: it decides chat or message.
  const config = (department && (await readConfig(base, account, department))) || general;
  const texts = (config.language !== "auto" && languages[config.language]) || browserTexts();
  document.documentElement.lang = texts.lang;

  const host = document.createElement("div");
  host.id = "parley-chat-page";
  const root = host.attachShadow({ mode: "open" });
  if (/^#[0-9a-f]{3}([0-9a-f]{3})?$/i.test(config.widgetColor))
    host.style.setProperty("--parley-color", config.widgetColor);
  document.body.append(host);

  let chat = savedChat(account);
  let invitation: Invitation | null = null;
  let presence: { update(): void } | undefined;
  const ui: ChatUi = (await chatPart).mount({
    root,
    base,
    account,
    config: Promise.resolve(config),
    texts: () => texts,
    identity: () => ({}),
    emit: () => undefined,
    requestClose: () => undefined,
    setUnread: () => undefined,
    invitation: () => (invitation && invitation.until > Date.now() ? invitation : null),
    invitationUsed: () => void (invitation = null),
    chatting: (state) => {
      chat = state;
      presence?.update();
    },
    ...(department ? { department } : {}),
  });
  const style = document.createElement("style");
  style.textContent = PAGE_CSS;
  root.append(style);
  ui.show();
  // This page view is a live visitor like any other; an operator's invitation shows in the window.
  presence = startPresence(
    base,
    account,
    () => chat,
    (next, id) => {
      if (next && chat.chatting) return;
      if (next || invitation?.id === id) invitation = next;
      ui.invited?.();
    },
  );
}

start().catch((error) => {
  console.error("Parley: the chat page failed to start", error);
  unavailable();
});
