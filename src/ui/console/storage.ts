// localStorage, wrapped so that a full, blocked or private-mode storage never breaks the console:
// losing a remembered draft or splitter size is a nuisance, throwing from an event handler is not.

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
};

export function readJson<T>(key: string): T | undefined {
  try {
    const raw = localStorage.getItem(key);
    return raw === null ? undefined : (JSON.parse(raw) as T);
  } catch {
    return undefined;
  }
}

export function writeJson(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Quota or privacy mode: the value simply is not remembered.
  }
}

export function readText(key: string): string {
  try {
    return localStorage.getItem(key) ?? "";
  } catch {
    return "";
  }
}

/** Writes a string; an empty one removes the key so finished drafts do not pile up. */
export function writeText(key: string, value: string): void {
  try {
    if (value) localStorage.setItem(key, value);
    else localStorage.removeItem(key);
  } catch {
    // See writeJson.
  }
}

export function removeKey(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    // See writeJson.
  }
}
