// The console's localStorage keys; the safe read/write helpers live in common/local-store.ts.

const PREFIX = "parley.";

/** Every key the console writes, in one place, so nothing collides and nothing is forgotten. */
export const storageKeys = {
  session: `${PREFIX}session`,
  /** The email of the last session, to prefill the sign-in form after it expires. */
  lastEmail: `${PREFIX}last-email`,
  draft: (operatorId: string, chatId: string) => `${PREFIX}draft.${operatorId}.${chatId}`,
  outbox: (operatorId: string, chatId: string) => `${PREFIX}outbox.${operatorId}.${chatId}`,
  layout: (operatorId: string) => `${PREFIX}layout.${operatorId}`,
  activeChat: (operatorId: string) => `${PREFIX}active-chat.${operatorId}`,
  /** The chat ids of the open tabs, left to right, so a reload keeps their order. */
  tabOrder: (operatorId: string) => `${PREFIX}tab-order.${operatorId}`,
  /** "closed" while the visitor context panel beside the chat is folded away. */
  contextPanel: `${PREFIX}context-panel`,
};

export { readJson, readText, removeKey, writeJson, writeText } from "../common/local-store.ts";
