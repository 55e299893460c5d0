// widget.js, the script customers embed: `<script src="https://HOST/widget.js" data-account="…" async>`.
// It shows the launcher, installs window.Parley and loads the chat part only when the visitor
// opens the chat (or already has one running). Nothing in here may throw into the host page.
import type { WidgetConfig } from "../../shared/widget-api.ts";
import { savedChatKey, type ChatModule, type ChatUi, type Identity } from "./contract.ts";
import { createLauncher } from "./launcher.ts";
import { startPresence, type Invitation } from "./presence.ts";
import { createEmitter, installApi } from "./public-api.ts";
import { languages, pickTexts, type Texts } from "./texts.ts";

// Only readable while this script first runs, so it is taken at once.
const script = document.currentScript as HTMLScriptElement | null;

/** Runs `fn`, reporting instead of throwing: the host page's own code must never see our errors. */
function guard<A extends unknown[]>(fn: (...args: A) => unknown) {
  return (...args: A): void => {
    try {
      void Promise.resolve(fn(...args)).catch((error) => console.error("Parley:", error));
    } catch (error) {
      console.error("Parley:", error);
    }
  };
}

function boot(script: HTMLScriptElement): void {
  const account = script.dataset.account;
  if (!account) return console.error("Parley: the widget's script tag needs data-account.");
  const base = new URL(script.src).origin;
  const lang = script.dataset.lang;
  let texts: Texts = lang && languages[lang] ? languages[lang] : pickTexts(navigator.languages ?? [navigator.language]);
  let identity: Identity = {};
  let ui: ChatUi | undefined;
  let loading: Promise<ChatUi | undefined> | undefined;
  let isOpen = false;
  let invitation: Invitation | null = null;
  let chat = { chatting: false, chatId: null as string | null };
  let presence: { update(): void } | undefined;
  const events = createEmitter();

  const config: Promise<WidgetConfig | null> = fetch(`${base}/api/widget/config?account=${encodeURIComponent(account)}`)
    .then((res) => (res.ok ? (res.json() as Promise<WidgetConfig>) : null))
    .catch(() => null);
  // The account's language, when it chose one, wins over the browser's; `data-lang` and
  // Parley.setTexts are the page's own choice and win over both.
  let textsChosenByPage = Boolean(lang && languages[lang]);
  void config.then((c) => {
    const accountTexts = c && c.language !== "auto" ? languages[c.language] : undefined;
    if (!accountTexts || textsChosenByPage) return;
    texts = accountTexts;
    launcher.setOpen(isOpen, texts);
  });

  const loadChat = () =>
    (loading ??= import(/* @vite-ignore */ `${base}/widget/${__PARLEY_CHAT_FILE__}`)
      .then((module: ChatModule) =>
        module.mount({
          root: launcher.root,
          base,
          account,
          config,
          texts: () => texts,
          identity: () => identity,
          emit: events.emit,
          requestClose: close,
          setUnread: (count) => launcher.setUnread(count, texts),
          invitation: () => (invitation && invitation.until > Date.now() ? invitation : null),
          invitationUsed: () => void (invitation = null),
          chatting: (state) => {
            chat = state;
            presence?.update();
          },
        }),
      )
      .catch((error) => {
        console.error("Parley: the chat could not be loaded", error);
        loading = undefined;
        return undefined;
      }));

  async function open(): Promise<void> {
    if (isOpen) return;
    isOpen = true;
    launcher.setOpen(true, texts);
    ui = await loadChat();
    if (!ui || !isOpen) {
      isOpen = false;
      return launcher.setOpen(false, texts);
    }
    ui.show();
    events.emit("open");
  }
  function close(): void {
    if (!isOpen) return;
    isOpen = false;
    ui?.hide();
    launcher.setOpen(false, texts);
    launcher.button.focus();
    events.emit("close");
  }

  const launcher = createLauncher(texts, () => void (isOpen ? close() : guard(open)()));
  config.then((c) => c && launcher.setColor(c.widgetColor));
  installApi({
    open: guard(open),
    close,
    identify: (who) => void (identity = { ...identity, ...who }),
    on: events.on,
    setTexts: (change) => {
      textsChosenByPage = true;
      texts = { ...texts, ...change };
      launcher.setOpen(isOpen, texts);
      ui?.refreshTexts();
    },
  });
  // A chat already running (the visitor navigated or reloaded): bring it back, open if it was.
  try {
    const saved = JSON.parse(localStorage.getItem(savedChatKey(account)) ?? "null") as {
      open?: boolean;
      ended?: boolean;
      session?: { chatId: string };
    } | null;
    if (saved?.session && !saved.ended) chat = { chatting: true, chatId: saved.session.chatId };
    if (saved) void (saved.open ? guard(open)() : loadChat());
  } catch {
    // Storage blocked: there is no chat to bring back.
  }
  // Live visitors: this page view, and operators' invitations, which open the chat.
  try {
    presence = startPresence(
      base,
      account,
      () => chat,
      (next, id) => {
        if (next && chat.chatting) return;
        if (next || invitation?.id === id) invitation = next;
        if (next) void guard(open)();
        ui?.invited?.();
      },
    );
  } catch (error) {
    console.error("Parley: live presence is off", error);
  }
}

function start(): void {
  try {
    const me = script ?? document.querySelector<HTMLScriptElement>("script[src*='widget.js'][data-account]");
    if (me) boot(me);
  } catch (error) {
    console.error("Parley: the widget failed to start", error);
  }
}

if (document.body) start();
else document.addEventListener("DOMContentLoaded", start);
