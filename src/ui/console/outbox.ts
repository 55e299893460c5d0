// Messages (and private notes) sent but not yet acknowledged, kept in localStorage: a reload, a lost connection or an
// expired session must not lose them. Each keeps its cid, so a resend the server already stored
// is answered with the original ack instead of being stored twice.
import { createSignal, type Accessor } from "solid-js";
import { readJson, removeKey, writeJson } from "./storage.ts";

export type OutgoingMessage = {
  cid: string;
  text: string;
  createdAt: number;
  /** A private note for operators (a `note` frame), not a message to the visitor. */
  note?: true;
  /** Set when the server refused it for good (say, the chat ended); it is not resent. */
  failure?: string;
};

function newCid(): string {
  // randomUUID needs a secure context; localhost and https both are, this is for odd setups.
  return crypto.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

export class Outbox {
  readonly items: Accessor<OutgoingMessage[]>;
  private readonly setItems: (items: OutgoingMessage[]) => void;

  constructor(private readonly storageKey: string) {
    const saved = readJson<OutgoingMessage[]>(storageKey);
    [this.items, this.setItems] = createSignal<OutgoingMessage[]>(
      Array.isArray(saved) ? saved.filter((m) => !m.failure) : [],
    );
  }

  add(text: string, note = false): OutgoingMessage {
    const message: OutgoingMessage = { cid: newCid(), text, createdAt: Date.now(), ...(note ? { note: true } : {}) };
    this.save([...this.items(), message]);
    return message;
  }

  /** The ones still to deliver, in the order they were written. */
  unsent(): OutgoingMessage[] {
    return this.items().filter((m) => !m.failure);
  }

  remove(cid: string): OutgoingMessage | undefined {
    const found = this.items().find((m) => m.cid === cid);
    if (found) this.save(this.items().filter((m) => m.cid !== cid));
    return found;
  }

  fail(cid: string, failure: string): void {
    this.save(this.items().map((m) => (m.cid === cid ? { ...m, failure } : m)));
  }

  discard(): void {
    this.setItems([]);
    removeKey(this.storageKey);
  }

  private save(items: OutgoingMessage[]): void {
    this.setItems(items);
    const unsent = items.filter((m) => !m.failure);
    if (unsent.length) writeJson(this.storageKey, unsent);
    else removeKey(this.storageKey);
  }
}
