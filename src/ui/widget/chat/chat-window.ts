// The chat window: header (title, End chat, close), the message log, a status line (typing,
// reconnecting), a visually hidden live region that reads out new messages, and the composer.
// It redraws from VisitorChat's state, keyed by seq (or cid while pending), so existing nodes
// stay put and only what changed is touched.
import { MAX_TEXT_LENGTH, type ChatMessage } from "../../../shared/protocol.ts";
import type { ChatHost, ChatUi } from "../contract.ts";
import { fill, type Texts } from "../texts.ts";
import type { WidgetConfig } from "../../../shared/widget-api.ts";
import type { ChatForms } from "./chat-forms.ts";
import type { Files } from "./files.ts";
import { el } from "./dom.ts";
import { messageNode, setMeta, systemText } from "./message-view.ts";
import { invitationView } from "./invitation-view.ts";
import { VisitorChat } from "./visitor-chat.ts";
import { WINDOW_CSS } from "./window-css.ts";

/** The paperclip's label; its other words come with the file part. Parley.setTexts({ sendFile }) overrides it. */
const SEND_FILE: Record<string, string> = { en: "Send a file", de: "Datei senden" };

export function createChatWindow(host: ChatHost): ChatUi {
  const style = el("style", undefined, WINDOW_CSS);
  const win = el("div", "window");
  win.dataset.testid = "parley-window";
  win.setAttribute("role", "dialog");
  win.hidden = true;
  const title = el("h2");
  let displayName = "";
  const endButton = el("button");
  endButton.type = "button";
  const closeButton = el("button", undefined, "✕");
  closeButton.type = "button";
  const header = el("header");
  header.append(title, endButton, closeButton);
  const log = el("div", "log");
  log.setAttribute("role", "log");
  // The live region below announces new messages once; the log itself stays quiet so a
  // redraw (a pending message acknowledged, say) is not read out again.
  log.setAttribute("aria-live", "off");
  log.tabIndex = 0;
  const greeting = el("p", "greeting");
  greeting.hidden = true;
  log.append(greeting);
  const endedNote = el("p", "msg system");
  const status = el("div", "status");
  const live = el("div", "sr");
  live.setAttribute("aria-live", "polite");
  const form = el("form");
  const input = el("textarea");
  input.dataset.testid = "parley-input";
  input.rows = 1;
  input.maxLength = MAX_TEXT_LENGTH;
  const send = el("button");
  send.type = "submit";
  send.dataset.testid = "parley-send";
  const attach = el("button", "attach", "📎");
  attach.type = "button";
  attach.dataset.testid = "parley-file";
  const fileInput = el("input");
  fileInput.type = "file";
  fileInput.multiple = fileInput.hidden = true;
  fileInput.dataset.testid = "parley-file-input";
  form.append(fileInput, attach, input, send);
  win.append(header, log, status, live, form);
  host.root.append(style, win);

  const nodes = new Map<string, HTMLElement>();
  const chat: VisitorChat = new VisitorChat(host, {
    changed: () => render(),
    incoming: (m: ChatMessage) => {
      live.textContent = `${m.author.name}: ${m.text}`;
      host.emit("message", m);
    },
  });
  // Pre-chat form, "leave a message" and the rating: drawn at the end of the log.
  // Loaded (a file of its own) only when needed: pre-chat on, nobody online, a chat started (its
  // "Waiting for an operator…", later its rating) or ended.
  let chatForms: ChatForms | null = null;
  let chatFormsLoading = false;
  let config: WidgetConfig | null = null;
  function needChatForms(): void {
    if (chatForms || chatFormsLoading) return;
    chatFormsLoading = true;
    import("./chat-forms.ts")
      .then((m) => {
        chatForms = m.createChatForms(host, chat, () => render());
        style.textContent += m.CHAT_FORMS_CSS;
        if (config) chatForms.setConfig(config);
        render();
        if (!win.hidden) chatForms.focusTarget()?.focus();
      })
      .catch(() => (chatFormsLoading = false));
  }
  // Files (sending them, showing them): a file of their own too, loaded on the first file.
  let files: Files | null = null;
  let filesLoading: Promise<Files | null> | null = null;
  const needFiles = () =>
    (filesLoading ??= import("./files.ts")
      .then((m) => {
        style.textContent += m.FILES_CSS;
        files = m.createFiles(host, chat, () => render());
        render();
        return files;
      })
      .catch(() => (filesLoading = null)));
  // A file message is drawn as its name until the file part is there, then as its card.
  const keyOf = (m: ChatMessage) => (m.kind === "file" && files ? "f" : "s") + m.seq;
  // An operator's invitation, above the greeting until answered or expired.
  const invitation = invitationView(host, () => !!chat.state.session && !chat.state.ended);
  greeting.before(invitation.node);

  function labels(): void {
    const t = host.texts();
    win.setAttribute("aria-label", displayName ? `${t.windowLabel}: ${displayName}` : t.windowLabel);
    log.setAttribute("aria-label", t.messages);
    endButton.textContent = t.endChat;
    closeButton.setAttribute("aria-label", t.closeChat);
    input.placeholder = t.placeholder;
    input.setAttribute("aria-label", t.inputLabel);
    send.textContent = t.send;
    attach.setAttribute(
      "aria-label",
      (t as Texts & { sendFile?: string }).sendFile ?? SEND_FILE[t.lang] ?? SEND_FILE.en!,
    );
    chatForms?.labels();
    render();
  }

  function render(): void {
    invitation.refresh();
    const t = host.texts();
    const s = chat.state;
    const wanted: [string, () => HTMLElement][] = s.messages.map((m) => [
      keyOf(m),
      () => {
        const node = messageNode({
          seq: m.seq,
          text: m.kind === "system" ? systemText(m, t) : m.text,
          author: m.kind === "system" ? "system" : m.author.kind,
          name: m.author.name,
        });
        if (m.kind === "file") files ? files.decorate(node, m) : void needFiles();
        return node;
      },
    ]);
    for (const p of s.outbox)
      wanted.push([`p${p.cid}`, () => messageNode({ seq: null, text: p.text, author: "visitor" })]);
    const keys = new Set(wanted.map(([key]) => key));
    for (const [key, node] of nodes) if (!keys.has(key)) (node.remove(), nodes.delete(key));
    let previous: Element = greeting;
    for (const [key, make] of wanted) {
      let node = nodes.get(key);
      if (!node) nodes.set(key, (node = make()));
      if (previous.nextElementSibling !== node) previous.after(node);
      previous = node;
    }
    if (files) {
      if (previous.nextElementSibling !== files.root) previous.after(files.root);
      previous = files.root;
    }
    const seen = chat.seenSeq;
    for (const m of s.messages)
      if (m.author.kind === "visitor") setMeta(nodes.get(keyOf(m))!, m.seq === seen ? t.seen : "");
    for (const p of s.outbox) setMeta(nodes.get(`p${p.cid}`)!, p.failed ? t.notDelivered : t.sending);
    endedNote.textContent = t.ended;
    if (s.ended) previous.after(endedNote);
    else endedNote.remove();
    if (s.ended || s.session || (config && (config.preChatForm || !config.online))) needChatForms();
    form.hidden = chatForms ? chatForms.update() : false;
    if (chatForms && log.lastElementChild !== chatForms.root) log.append(chatForms.root);
    endButton.hidden = !chat.canEnd;
    status.textContent = chat.unavailable
      ? t.unavailable
      : chat.link === "reconnecting"
        ? t.reconnecting
        : chat.operatorTyping
          ? fill(t.typing, { name: chat.operatorTyping })
          : "";
    if (stuck) log.scrollTop = log.scrollHeight;
  }

  // Follow new messages only while the visitor is at the bottom, not while reading back.
  let stuck = true;
  log.addEventListener("scroll", () => (stuck = log.scrollHeight - log.scrollTop - log.clientHeight < 40));

  function submit(): void {
    const text = input.value;
    if (!text.trim()) return;
    input.value = "";
    stuck = true;
    chat.send(text);
    input.focus();
  }
  form.addEventListener("submit", (event) => (event.preventDefault(), submit()));
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) (event.preventDefault(), submit());
  });
  input.addEventListener("input", () => chat.draft.note(input.value));
  win.addEventListener("keydown", (event) => {
    if (event.key === "Escape") (event.stopPropagation(), host.requestClose());
  });
  attach.addEventListener("click", () => fileInput.click());
  fileInput.addEventListener("change", () => {
    const chosen = [...(fileInput.files ?? [])];
    fileInput.value = ""; // the same file again is another change
    stuck = true;
    void needFiles().then((loaded) => chosen.forEach((file) => loaded?.send(file)));
  });
  closeButton.addEventListener("click", () => host.requestClose());
  endButton.addEventListener("click", () => chat.end());
  void host.config.then((c) => {
    if (!c) return;
    displayName = title.textContent = c.displayName;
    greeting.textContent = c.greeting;
    greeting.hidden = !c.greeting;
    config = c;
    chatForms?.setConfig(c);
    labels();
  });
  labels();

  return {
    show() {
      win.hidden = false;
      chat.setVisible(true);
      stuck = true;
      render();
      (chatForms?.focusTarget() ?? input).focus();
    },
    hide() {
      win.hidden = true;
      chat.setVisible(false);
    },
    refreshTexts: labels,
    invited: () => render(),
  };
}
