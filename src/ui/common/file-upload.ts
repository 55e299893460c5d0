// Sends one file to a chat (POST /api/chats/{chatId}/files, docs/protocol.md "Files") with
// XMLHttpRequest, because fetch cannot report upload progress. Framework-free: the console and
// the widget's file part both use it. Aborting stops the upload; the server stores nothing of an
// upload that did not arrive whole.
import type { ChatMessage, ErrorCode, FileUploadResponse, Problem } from "../../shared/protocol.ts";

export type UploadOutcome =
  | { ok: true; message: ChatMessage }
  /** `status` 0 with code "network": no answer (offline, or the connection broke). */
  | { ok: false; status: number; code: ErrorCode | "network"; detail: string }
  | { ok: false; status: 0; code: "aborted"; detail: string };

type Upload = { done: Promise<UploadOutcome>; abort(): void };

export function uploadFile(options: {
  base: string;
  chatId: string;
  token: string;
  file: File;
  cid: string;
  onProgress(sent: number, total: number): void;
}): Upload {
  const { file } = options;
  const query = new URLSearchParams({ name: file.name, cid: options.cid });
  const xhr = new XMLHttpRequest();
  const done = new Promise<UploadOutcome>((resolve) => {
    xhr.open("POST", `${options.base}/api/chats/${encodeURIComponent(options.chatId)}/files?${query}`);
    xhr.setRequestHeader("Authorization", `Bearer ${options.token}`);
    xhr.responseType = "json";
    xhr.upload.onprogress = (event) =>
      options.onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.onload = () => {
      const body = xhr.response as (FileUploadResponse & Partial<Problem>) | null;
      if (xhr.status >= 200 && xhr.status < 300 && body?.message) return resolve({ ok: true, message: body.message });
      resolve({
        ok: false,
        status: xhr.status,
        code: body?.code ?? "internal",
        detail: body?.detail ?? `The server answered ${xhr.status}.`,
      });
    };
    xhr.onerror = xhr.ontimeout = () =>
      resolve({ ok: false, status: 0, code: "network", detail: "The upload was interrupted." });
    xhr.onabort = () => resolve({ ok: false, status: 0, code: "aborted", detail: "The upload was cancelled." });
    // The File goes as the raw body; the browser streams it from disk and sets Content-Length.
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}

/** A new client id for an upload, as for text messages. */
export function newUploadCid(): string {
  return crypto.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
