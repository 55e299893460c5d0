// What the chat window shows besides messages: the pre-chat form (name, email, department; when
// the account turns it on), "leave a message" while no operator is online, "Waiting for an
// operator…" with the place in the queue (queue-notice.ts) until one joins, and the rating and
// "email me this transcript" once the chat has ended. Built once and shown or hidden by update(),
// so typed input survives redraws.
import {
  MAX_RATING_COMMENT_LENGTH,
  MAX_TEXT_LENGTH,
  type ClientFrame,
  type ContinueByEmailRequest,
  type OfflineMessageRequest,
  type Problem,
  type Rating,
  type ServerFrame,
  type TranscriptRequest,
  type TranscriptResponse,
} from "../../../shared/protocol.ts";
import type { WidgetConfig } from "../../../shared/widget-api.ts";
import type { ChatHost } from "../contract.ts";
import { formEn, formTexts, type FormTexts } from "../form-texts.ts";
import { fill, type Texts } from "../texts.ts";
import { el } from "./dom.ts";
import { createQueueNotice } from "./queue-notice.ts";
import { newCid, type VisitorChat } from "./visitor-chat.ts";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const RATE_TIMEOUT_MS = 10_000;

/** Rates the ended chat over a short-lived socket of its own (the chat's socket is gone once it
 * ends): hello, rate, and done when the room announces the rating back. */
function sendRating(host: ChatHost, chat: VisitorChat, rating: Rating, comment: string): Promise<boolean> {
  const session = chat.state.session;
  if (!session) return Promise.resolve(false);
  return new Promise((resolve) => {
    const ws = new WebSocket(
      `${host.base.replace(/^http/, "ws")}/ws/chats/${encodeURIComponent(session.chatId)}`,
      chat.socketProtocols(session.token),
    );
    const done = (ok: boolean) => {
      clearTimeout(timer);
      ws.onclose = ws.onerror = ws.onmessage = null;
      try {
        ws.close();
      } catch {
        // Never opened.
      }
      if (ok) chat.markRated();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), RATE_TIMEOUT_MS);
    ws.onopen = () =>
      ws.send(JSON.stringify({ type: "hello", since: chat.state.messages.at(-1)?.seq ?? 0 } satisfies ClientFrame));
    ws.onmessage = (event) => {
      const frame = JSON.parse(String(event.data)) as ServerFrame;
      const rate: ClientFrame = {
        type: "rate",
        rating,
        ...(comment.trim() ? { comment: comment.trim().slice(0, MAX_RATING_COMMENT_LENGTH) } : {}),
      };
      if (frame.type === "welcome") ws.send(JSON.stringify(rate));
      else if (frame.type === "rating") done(true);
      else if (frame.type === "error") done(false);
    };
    ws.onclose = ws.onerror = () => done(false);
  });
}

export const CHAT_FORMS_CSS = `
form.card{display:flex;flex-direction:column;gap:8px;padding:12px;margin:4px 0;background:#fff;border:1px solid #e1e5eb;border-radius:10px}
form.card[hidden],.card [hidden]{display:none}
.card label{display:flex;flex-direction:column;gap:3px;font-size:13px}
.card input,.card select,.card textarea{font:inherit;flex:none;height:auto;border:1px solid #c9d0da;border-radius:8px;padding:7px 9px;box-sizing:border-box;color:inherit;background:#fff}
.card button{padding:8px 14px}
.card p{margin:0}
.card .row{display:flex;gap:8px}
.card .row button{flex:1;background:#fff;color:#1d2430;border:1px solid #c9d0da}
.card .row button[aria-pressed=true]{background:var(--parley-color);color:#fff;border-color:transparent}
.card .err{color:#b3261e;font-size:12px}
.note{margin:4px 0;padding:10px 12px;background:#fff;border-radius:10px;border:1px solid #e1e5eb}
`;

type Field = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

function card(testid: string): HTMLFormElement {
  const form = el("form", "card");
  form.dataset.testid = testid;
  form.noValidate = true;
  return form;
}
function field<T extends Field>(
  control: T,
  testid: string,
): { label: HTMLLabelElement; caption: HTMLSpanElement; control: T } {
  control.dataset.testid = testid;
  const caption = el("span");
  const label = el("label");
  label.append(caption, control);
  return { label, caption, control };
}
/** The name and email fields the pre-chat and offline forms both ask for. */
function contactFields(nameTestid: string, emailTestid: string) {
  const name = field(el("input"), nameTestid);
  name.control.autocomplete = "name";
  name.control.maxLength = 100;
  const email = field(el("input"), emailTestid);
  email.control.type = "email";
  email.control.autocomplete = "email";
  return [name, email] as const;
}
function button(testid: string, type: "submit" | "button" = "submit"): HTMLButtonElement {
  const b = el("button");
  b.type = type;
  b.dataset.testid = testid;
  return b;
}
const errorLine = (testid: string) => {
  const p = el("p", "err");
  p.dataset.testid = testid;
  p.setAttribute("role", "alert");
  return p;
};

export type ChatForms = ReturnType<typeof createChatForms>;

export function createChatForms(host: ChatHost, chat: VisitorChat, changed: () => void) {
  /** In the widget's language, with any Parley.setTexts override of these keys too. */
  const texts = (): FormTexts & Texts => {
    const base = host.texts();
    return { ...(formTexts[base.lang] ?? formEn), ...base };
  };
  const root = el("div");
  let config: WidgetConfig | null = null;
  /** Whether someone who can take the chat is online: from the config, then per department. */
  let online = true;
  let prechatDone = false;
  let offlineSent = false;

  // ---- Pre-chat form ----------------------------------------------------------------------
  const prechat = card("parley-prechat");
  const prechatIntro = el("p");
  const [pName, pEmail] = contactFields("parley-prechat-name", "parley-prechat-email");
  const pDepartment = field(el("select"), "parley-prechat-department");
  const pError = errorLine("parley-prechat-error");
  const pStart = button("parley-prechat-start");
  prechat.append(prechatIntro, pName.label, pEmail.label, pDepartment.label, pError, pStart);

  // ---- Leave a message --------------------------------------------------------------------
  const offline = card("parley-offline-form");
  const offlineIntro = el("p");
  const [oName, oEmail] = contactFields("parley-offline-name", "parley-offline-email");
  const oText = field(el("textarea"), "parley-offline-text");
  oText.control.rows = 3;
  oText.control.maxLength = MAX_TEXT_LENGTH;
  const oError = errorLine("parley-offline-error");
  const oSend = button("parley-offline-send");
  offline.append(offlineIntro, oName.label, oEmail.label, oText.label, oError, oSend);
  const offlineDone = el("p", "note");
  offlineDone.dataset.testid = "parley-offline-sent";
  offlineDone.setAttribute("role", "status");

  // ---- Rating -----------------------------------------------------------------------------
  const rating = card("parley-rating");
  const rQuestion = el("p");
  const row = el("div", "row");
  const rGood = button("parley-rating-good", "button");
  const rBad = button("parley-rating-bad", "button");
  row.append(rGood, rBad);
  const rComment = field(el("textarea"), "parley-rating-comment");
  rComment.control.rows = 2;
  rComment.control.maxLength = MAX_RATING_COMMENT_LENGTH;
  const rError = errorLine("parley-rating-error");
  const rSubmit = button("parley-rating-submit");
  rating.append(rQuestion, row, rComment.label, rError, rSubmit);
  const ratedNote = el("p", "note");
  ratedNote.dataset.testid = "parley-rating-thanks";
  ratedNote.setAttribute("role", "status");
  let chosen: Rating | null = null;

  // ---- Email me this transcript -------------------------------------------------------------
  const transcript = card("parley-transcript");
  const tEmail = field(el("input"), "parley-transcript-email");
  tEmail.control.type = "email";
  tEmail.control.autocomplete = "email";
  tEmail.control.maxLength = 254;
  const tError = errorLine("parley-transcript-error");
  const tSent = el("p");
  tSent.dataset.testid = "parley-transcript-sent";
  tSent.setAttribute("role", "status");
  const tSend = button("parley-transcript-send");
  transcript.append(tEmail.label, tError, tSend, tSent);

  const queueNotice = createQueueNotice(host, chat, changed);
  /** A chat nobody took in time: the offline form continues it by email instead of starting one. */
  const continuing = () => queueNotice.missed() && !!chat.state.session;
  /** One cid per message left, kept across retries so a lost answer never stores it twice. */
  let continueCid: string | null = null;
  root.append(queueNotice.node, prechat, offline, offlineDone, rating, ratedNote, transcript);
  /** The offline form's first empty field: where a visitor who can only leave a message starts. */
  const offlineStart = () =>
    [oName.control, oEmail.control, oText.control].find((c) => !c.value.trim()) ?? oText.control;

  function labels(): void {
    const t = texts();
    prechatIntro.textContent = t.preChatIntro;
    pName.caption.textContent = oName.caption.textContent = t.yourName;
    pEmail.caption.textContent = oEmail.caption.textContent = t.yourEmail;
    pDepartment.caption.textContent = t.department;
    pStart.textContent = t.preChatStart;
    offlineIntro.textContent = continuing() ? t.continueByEmail : config?.offlineMessage || t.offlineLeave;
    oText.caption.textContent = t.offlineText;
    oSend.textContent = t.offlineSend;
    offlineDone.textContent = t.offlineSent;
    rQuestion.textContent = t.rateQuestion;
    rGood.textContent = `👍 ${t.rateGood}`;
    rBad.textContent = `👎 ${t.rateBad}`;
    rComment.caption.textContent = t.rateComment;
    rSubmit.textContent = t.rateSubmit;
    ratedNote.textContent = t.rateThanks;
    tEmail.caption.textContent = t.transcriptAsk;
    tSend.textContent = t.transcriptSend;
    const first = pDepartment.control.options[0];
    if (first) first.textContent = t.anyDepartment;
    // A department outside its business hours says so: choosing it offers "leave a message".
    for (const d of config?.departments ?? []) {
      const option = [...pDepartment.control.options].find((o) => o.value === d.id);
      if (option) option.textContent = d.open ? d.name : fill(t.departmentClosed, { name: d.name });
    }
  }

  function setConfig(c: WidgetConfig): void {
    config = c;
    online = c.online;
    // "Any department" must post no department: an option without a value would post its text.
    const any = el("option");
    any.value = "";
    pDepartment.control.replaceChildren(any);
    for (const d of c.departments) {
      const option = el("option");
      option.value = d.id;
      pDepartment.control.append(option);
    }
    pDepartment.label.hidden = c.departments.length === 0;
    if (host.department) pDepartment.control.value = host.department;
    labels();
  }

  /** Shows what applies now; returns whether the composer must wait (the pre-chat form first, or
   * a closed department chosen in it). */
  function update(): boolean {
    const s = chat.state;
    const fresh = !s.session && !s.messages.length && !s.outbox.length;
    // Answering an operator's invitation skips the pre-chat form (and never offers "leave a
    // message"): the operator spoke first and waits in the chat; asking who you are would stand
    // between the visitor and a reply. Name and email from Parley.identify still go along.
    const invited = !!host.invitation();
    const showPrechat = !!config?.preChatForm && !prechatDone && fresh && !invited;
    prechat.hidden = !showPrechat;
    // A chat nobody took in time (missed) may leave a message too, whoever is online now.
    const missed = queueNotice.missed();
    offline.hidden = showPrechat || offlineSent || invited || (missed ? false : online || !fresh);
    offlineDone.hidden = !offlineSent;
    // A missed chat continues by email: its name is known, the message is optional.
    oName.label.hidden = continuing();
    rating.hidden = !s.ended || !s.session || s.rated;
    ratedNote.hidden = !s.ended || !s.session || !s.rated;
    // The server sends a transcript only once an operator has answered (docs/protocol.md).
    transcript.hidden =
      !s.ended || !s.session || !s.messages.some((m) => m.author.kind === "operator" && m.kind !== "system");
    if (!transcript.hidden && !tEmail.control.value && !tSent.textContent)
      tEmail.control.value = { ...host.identity(), ...chat.prechat }.email ?? "";
    if (offline.hidden === false && !oName.control.value && !oEmail.control.value) {
      const who = { ...host.identity(), ...chat.prechat };
      oName.control.value = who.name ?? "";
      oEmail.control.value = who.email ?? "";
    }
    queueNotice.update(texts());
    // A department outside its business hours takes messages, not chats: no composer to type a
    // chat into that could only be refused.
    const chosen = config?.departments.find((d) => d.id === chat.prechat.departmentId);
    const closedChosen = fresh && !invited && chosen?.open === false;
    return showPrechat || closedChosen;
  }

  const email = (input: HTMLInputElement) => input.value.trim();

  prechat.addEventListener("submit", (event) => {
    event.preventDefault();
    const t = texts();
    const mail = email(pEmail.control);
    if (mail && !EMAIL.test(mail)) return void ((pError.textContent = t.emailInvalid), pEmail.control.focus());
    pError.textContent = "";
    const name = pName.control.value.trim().slice(0, 100);
    const departmentId = pDepartment.control.value;
    chat.prechat = {
      ...(name ? { name } : {}),
      ...(mail ? { email: mail } : {}),
      ...(departmentId ? { departmentId } : {}),
    };
    prechatDone = true;
    pStart.disabled = true;
    // Whether that department has anyone online decides between the chat and "leave a message".
    const query = `account=${encodeURIComponent(host.account)}${departmentId ? `&department=${encodeURIComponent(departmentId)}` : ""}`;
    void fetch(`${host.base}/api/widget/config?${query}`)
      .then((res) => (res.ok ? (res.json() as Promise<WidgetConfig>) : null))
      .catch(() => null)
      .then((c) => {
        if (c) online = c.online;
        pStart.disabled = false;
        changed();
        (online
          ? root.parentElement?.parentElement?.querySelector<HTMLElement>("[data-testid=parley-input]")
          : offlineStart()
        )?.focus();
      });
  });

  offline.addEventListener("submit", (event) => {
    event.preventDefault();
    const t = texts();
    const name = oName.control.value.trim();
    const mail = email(oEmail.control);
    const text = oText.control.value;
    const session = continuing() ? chat.state.session : null;
    const missing =
      !session && !name ? oName.control : !mail ? oEmail.control : !session && !text.trim() ? oText.control : null;
    if (missing) return void ((oError.textContent = t.required), missing.focus());
    if (!EMAIL.test(mail)) return void ((oError.textContent = t.emailInvalid), oEmail.control.focus());
    oError.textContent = "";
    oSend.disabled = true;
    // A missed chat goes on by email (same chat, its history kept); otherwise a new offline message.
    let request: Promise<Response>;
    if (session) {
      continueCid ??= newCid();
      const body: ContinueByEmailRequest = { email: mail, cid: continueCid, ...(text.trim() ? { text } : {}) };
      request = fetch(`${host.base}/api/chats/${encodeURIComponent(session.chatId)}/continue-by-email`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${session.token}` },
        body: JSON.stringify(body),
      });
    } else {
      const body: OfflineMessageRequest = { accountId: host.account, name: name.slice(0, 100), email: mail, text };
      if (chat.prechat.departmentId) body.departmentId = chat.prechat.departmentId;
      request = fetch(`${host.base}/api/visitor/offline-messages`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    }
    void request
      .then((res) => res.status === 201)
      .catch(() => false)
      .then((ok) => {
        oSend.disabled = false;
        if (!ok) return void (oError.textContent = t.offlineFailed);
        continueCid = null;
        offlineSent = true;
        oText.control.value = "";
        changed();
      });
  });

  for (const [b, value] of [
    [rGood, "good"],
    [rBad, "bad"],
  ] as const) {
    b.setAttribute("aria-pressed", "false");
    b.addEventListener("click", () => {
      chosen = value;
      rGood.setAttribute("aria-pressed", String(value === "good"));
      rBad.setAttribute("aria-pressed", String(value === "bad"));
    });
  }
  rating.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!chosen) return rGood.focus();
    rSubmit.disabled = true;
    void sendRating(host, chat, chosen, rComment.control.value).then((ok) => {
      rSubmit.disabled = false;
      rError.textContent = ok ? "" : texts().rateFailed;
      if (ok) rComment.control.value = "";
      changed();
    });
  });

  transcript.addEventListener("submit", (event) => {
    event.preventDefault();
    const t = texts();
    const session = chat.state.session;
    const mail = email(tEmail.control);
    tSent.textContent = "";
    if (!EMAIL.test(mail)) return void ((tError.textContent = t.emailInvalid), tEmail.control.focus());
    if (!session) return;
    tError.textContent = "";
    tSend.disabled = true;
    void fetch(`${host.base}/api/chats/${encodeURIComponent(session.chatId)}/transcript`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${session.token}` },
      body: JSON.stringify({ email: mail } satisfies TranscriptRequest),
    })
      .then(async (res): Promise<TranscriptResponse | Problem | null> =>
        res.ok ? res.json() : res.json().catch(() => null),
      )
      .catch(() => null)
      .then((answer) => {
        tSend.disabled = false;
        if (answer && "to" in answer) return void (tSent.textContent = t.transcriptSent.replace("{email}", answer.to));
        const code = answer?.code;
        tError.textContent =
          code === "email_invalid"
            ? t.emailInvalid
            : code === "rate_limited"
              ? t.transcriptTooMany
              : t.transcriptFailed;
        tEmail.control.focus();
      });
  });

  return {
    root,
    setConfig,
    update,
    labels,
    /** Where focus goes on open instead of the composer, if anywhere: the pre-chat form, or the
     * offline form when leaving a message is the only way to reach the team. */
    focusTarget: (): HTMLElement | null => (!prechat.hidden ? pName.control : !offline.hidden ? offlineStart() : null),
  };
}
