// The widget's file part, a file of its own that the chat window loads the first time the visitor
// picks a file or a file message is shown: sending (a progress row with Cancel, then the reason
// in words if refused) and showing files (an image as a preview, every file with its name, size
// and a download link). Names are set as text only. Links are signed and expire
// (docs/protocol.md "Files"), so they are asked for when needed and renewed before use.
import { formatFileSize, PREVIEW_IMAGE_TYPES } from "../../../shared/files.ts";
import type { ChatMessage, FileLinkResponse } from "../../../shared/protocol.ts";
import { newUploadCid, uploadFile, type UploadOutcome } from "../../common/file-upload.ts";
import type { ChatHost } from "../contract.ts";
import { fileEn, fileTexts, type FileTexts } from "../file-texts.ts";
import { el } from "./dom.ts";
import type { VisitorChat } from "./visitor-chat.ts";

export const FILES_CSS = `
.file{display:flex;flex-direction:column;gap:4px}
.file img{display:block;width:220px;max-width:100%;height:140px;object-fit:scale-down;border-radius:8px;background:#fff}
.fname{font-weight:600}
.fsize{font-size:11px;opacity:.8}
.upload .bubble{display:flex;flex-direction:column;gap:6px;background:#fff;color:#1d2430;border:1px solid #e1e5eb}
.upload progress{width:100%}
.upload button{font:inherit;font-size:12px;align-self:flex-end;background:none;border:1px solid #c9d0da;border-radius:6px;padding:2px 8px;cursor:pointer;color:inherit}
.upload .err{color:#b3261e;margin:0}
`;

/** A link this close to its expiry is renewed before it is used. */
const RENEW_BEFORE_MS = 60_000;

export type Files = ReturnType<typeof createFiles>;

export function createFiles(host: ChatHost, chat: VisitorChat, changed: () => void) {
  const texts = (): FileTexts => {
    const base = host.texts();
    return { ...(fileTexts[base.lang] ?? fileEn), ...(base as Partial<FileTexts>) };
  };
  /** Rows of files on their way, kept together after the messages. */
  const root = el("div");
  const links = new Map<string, { link: Promise<FileLinkResponse | null>; until: number }>();

  function link(fileId: string): Promise<FileLinkResponse | null> {
    const held = links.get(fileId);
    if (held && held.until - Date.now() > RENEW_BEFORE_MS) return held.link;
    const session = chat.state.session;
    if (!session) return Promise.resolve(null);
    const entry: { link: Promise<FileLinkResponse | null>; until: number } = {
      until: Infinity,
      link: fetch(
        `${host.base}/api/chats/${encodeURIComponent(session.chatId)}/files/${encodeURIComponent(fileId)}/link`,
        { headers: { Authorization: `Bearer ${session.token}` } },
      )
        .then((res) => (res.ok ? (res.json() as Promise<FileLinkResponse>) : null))
        .catch(() => null)
        .then((got) => ((entry.until = got ? got.expiresAt : 0), got)),
    };
    links.set(fileId, entry);
    return entry.link;
  }

  /** Turns a file message's bubble (drawn with the file's name) into its card. */
  function decorate(node: HTMLElement, m: ChatMessage): void {
    const file = m.file;
    if (!file) return;
    const card = el("div", "file");
    card.dataset.testid = "parley-file-card";
    const img = PREVIEW_IMAGE_TYPES.includes(file.type) ? el("img") : null;
    const download = el("a", undefined, texts().download);
    download.dataset.testid = "parley-file-download";
    download.target = "_blank";
    download.rel = "noopener noreferrer";
    if (img) {
      // A box of fixed size, so the log does not jump (and lose the newest message) when it loads.
      img.alt = file.name;
      img.dataset.testid = "parley-file-preview";
      card.append(img);
    }
    card.append(el("span", "fname", file.name), el("span", "fsize", formatFileSize(file.size)), download);
    const show = (got: FileLinkResponse | null) => {
      if (!got) return;
      download.href = got.url;
      if (img && img.src !== got.url) img.src = got.url;
    };
    void link(file.id).then(show);
    // A window left open for an hour holds an expired link: renew it, then open the file.
    download.addEventListener("click", (event) => {
      if ((links.get(file.id)?.until ?? 0) - Date.now() > RENEW_BEFORE_MS / 2) return;
      event.preventDefault();
      void link(file.id).then((got) => (show(got), got && window.open(got.url, "_blank", "noopener")));
    });
    node.querySelector(".bubble")?.replaceChildren(card);
  }

  /** "larger than the 10 MB limit" with the account's limit from the widget config, if known. */
  const tooLarge = (t: FileTexts, limit: number | undefined) =>
    limit ? t.fileOverLimit.replace("{limit}", formatFileSize(limit)) : t.fileTooLarge;

  function refusal(outcome: Extract<UploadOutcome, { ok: false }>, t: FileTexts, limit: number | undefined): string {
    switch (outcome.code) {
      case "too_large":
        return tooLarge(t, limit);
      case "file_type_not_allowed":
        return t.fileTypeNotAllowed;
      case "file_type_mismatch":
        return t.fileTypeMismatch;
      case "chat_closed":
        return t.fileChatEnded;
      case "storage_quota_exceeded":
        return t.fileNoRoom;
      default:
        return t.fileFailed;
    }
  }

  /** Sends one file: a row with its progress and Cancel until it is stored (then it is a message
   * like any other) or refused (then the row says why, until dismissed). */
  function send(file: File): void {
    const t = texts();
    const row = el("div", "msg visitor upload");
    row.dataset.testid = "parley-upload";
    const bubble = el("div", "bubble");
    const bar = el("progress");
    bar.max = file.size || 1;
    bar.value = 0;
    bar.dataset.testid = "parley-upload-progress";
    const button = el("button", undefined, t.cancel);
    button.type = "button";
    button.dataset.testid = "parley-upload-cancel";
    bubble.append(el("span", "fname", t.sendingFile.replace("{name}", file.name)), bar, button);
    row.append(bubble);
    root.append(row);
    changed();

    let abort: (() => void) | null = null;
    let cancelled = false;
    button.onclick = () => ((cancelled = true), abort ? abort() : row.remove());
    const fail = (why: string) => {
      const error = el("p", "err", why);
      error.dataset.testid = "parley-upload-error";
      error.setAttribute("role", "alert");
      bar.replaceWith(error);
      bubble.firstChild!.textContent = file.name;
      button.textContent = t.dismiss;
      button.dataset.testid = "parley-upload-dismiss";
      button.onclick = () => row.remove();
    };
    void (async () => {
      // Over the account's limit, or more than its storage has left: said at once, without
      // starting a chat or sending a byte.
      const config = await host.config;
      const limit = config?.fileSizeLimitBytes;
      if (limit && file.size > limit) return fail(tooLarge(t, limit));
      if (file.size > (config?.storageLeftBytes ?? Infinity)) return fail(t.fileNoRoom);
      const session = await chat.sessionForFile();
      if (cancelled) return;
      if (!session) return fail(t.fileFailed);
      const upload = uploadFile({
        base: host.base,
        chatId: session.chatId,
        token: session.token,
        file,
        cid: newUploadCid(),
        onProgress: (sent) => (bar.value = sent),
      });
      abort = upload.abort;
      const outcome = await upload.done;
      if (outcome.ok) {
        row.remove();
        return chat.stored(outcome.message);
      }
      if (outcome.code === "aborted") return row.remove();
      fail(refusal(outcome, t, limit));
    })();
  }

  return { root, send, decorate };
}
