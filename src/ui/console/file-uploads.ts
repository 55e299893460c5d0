// The files an operator is sending in one chat: each with its progress, cancellable while it goes,
// and, when refused, the reason in words until the operator dismisses it. A stored file becomes
// a message like any other (the server also broadcasts it; merging by seq keeps it once).
import { createStore, type SetStoreFunction } from "solid-js/store";
import { formatStorageSize } from "../../shared/files.ts";
import type { ChatMessage } from "../../shared/protocol.ts";
import { newUploadCid, uploadFile, type UploadOutcome } from "../common/file-upload.ts";
import { api } from "./api.ts";
import { session, tokenRejected } from "./session.ts";

export type UploadItem = {
  cid: string;
  name: string;
  size: number;
  /** Bytes sent so far. */
  sent: number;
  /** Why it was not sent, once refused; null while it goes. */
  failure: string | null;
};

function describeFailure(outcome: Extract<UploadOutcome, { ok: false }>): string {
  switch (outcome.code) {
    case "network":
      return "Not sent: the upload was interrupted. Check the connection and try again.";
    case "chat_closed":
      return "Not sent: the chat has ended.";
    default:
      // The server says why in words: the size limit, the type, a name that does not fit the content.
      return `Not sent: ${outcome.detail}`;
  }
}

/** Why a file of `size` bytes cannot be stored now, or null when it fits (or when the usage could
 * not be read: then the server decides, and says why if it refuses). */
async function noRoomFor(size: number): Promise<string | null> {
  const usage = await api.storage().catch(() => null);
  if (!usage || usage.usedBytes + size <= usage.quotaBytes) return null;
  const used = `${formatStorageSize(usage.usedBytes)} of ${formatStorageSize(usage.quotaBytes)} used`;
  return `Not sent: the account's file storage is full (${used}). An admin can raise the quota in Settings.`;
}

export class FileUploads {
  /** A store, so a progress tick updates its item in place and the item's view stays put. */
  private readonly list: UploadItem[];
  private readonly setList: SetStoreFunction<UploadItem[]>;
  private readonly aborts = new Map<string, () => void>();

  constructor(
    private readonly chatId: string,
    private readonly onStored: (message: ChatMessage) => void,
  ) {
    [this.list, this.setList] = createStore<UploadItem[]>([]);
  }

  readonly items = (): readonly UploadItem[] => this.list;

  send(file: File): void {
    const token = session()?.token;
    if (!token) return;
    const cid = newUploadCid();
    this.setList(this.list.length, { cid, name: file.name, size: file.size, sent: 0, failure: null });
    // Cancel while the room is checked just drops the item.
    this.aborts.set(cid, () => this.dismiss(cid));
    void noRoomFor(file.size).then((full) => {
      if (!this.list.some((item) => item.cid === cid)) return;
      if (full) {
        this.aborts.delete(cid);
        return this.patch(cid, { failure: full });
      }
      this.start(cid, file, token);
    });
  }

  /** Sends the file itself, with its progress. */
  private start(cid: string, file: File, token: string): void {
    const upload = uploadFile({
      base: "",
      chatId: this.chatId,
      token,
      file,
      cid,
      onProgress: (sent) => this.patch(cid, { sent }),
    });
    this.aborts.set(cid, upload.abort);
    void upload.done.then((outcome) => {
      this.aborts.delete(cid);
      if (outcome.ok) {
        this.dismiss(cid);
        return this.onStored(outcome.message);
      }
      if (outcome.code === "aborted") return this.dismiss(cid);
      if (outcome.status === 401) tokenRejected(token);
      this.patch(cid, { failure: describeFailure(outcome) });
    });
  }

  /** Stops an upload under way; the server keeps nothing of it. */
  cancel(cid: string): void {
    this.aborts.get(cid)?.();
  }

  dismiss(cid: string): void {
    this.setList((items) => items.filter((item) => item.cid !== cid));
  }

  dispose(): void {
    for (const abort of this.aborts.values()) abort();
  }

  private patch(cid: string, change: Partial<UploadItem>): void {
    this.setList((item) => item.cid === cid, change);
  }
}
