// What the widget's two scripts agree on. widget.js (the loader, on every page view) shows the
// launcher and owns the JS API; the chat part (loaded when the visitor opens the chat or already
// has one) builds the window and speaks the protocol. Types only: nothing here is bundled twice.
import type { WidgetConfig } from "../../shared/widget-api.ts";
import type { Invitation } from "./presence.ts";
import type { Texts } from "./texts.ts";

export type WidgetEventName = "message" | "open" | "close";
export type Identity = { name?: string; email?: string };

/** What the loader hands the chat part. */
export type ChatHost = {
  root: ShadowRoot;
  /** Parley's origin, from the script's own URL: every request and socket goes there. */
  base: string;
  account: string;
  config: Promise<WidgetConfig | null>;
  texts(): Texts;
  identity(): Identity;
  emit(event: WidgetEventName, detail?: unknown): void;
  /** The window asks to be closed (its button, Escape): the loader updates launcher and focus. */
  requestClose(): void;
  /** Messages that arrived while the window was closed, for the launcher's badge. */
  setUnread(count: number): void;
  /** An operator's invitation still standing (not expired, not answered), if any. */
  invitation(): Invitation | null;
  /** The chat that answers the invitation has started: it is used up. */
  invitationUsed(): void;
  /** Whether the visitor has a chat going, for the live-visitor list (presence.ts). */
  chatting(state: { chatting: boolean; chatId: string | null }): void;
  /** A department chosen before the chat opens (the chat page's `?department=`, one the account
   * has): chats and offline messages go there unless the pre-chat form chooses another. */
  department?: string;
};

export type ChatUi = {
  show(): void;
  hide(): void;
  /** Parley.setTexts changed the texts: redraw the labels. */
  refreshTexts(): void;
  /** An invitation arrived or went away: show or hide it. */
  invited?(): void;
};

export type ChatModule = { mount(host: ChatHost): ChatUi };

/** localStorage key of an account's chat on this site; one visitor chat per account and site. */
export const savedChatKey = (account: string) => `parley.widget.${account}`;
