// "/shortcut" completion in the message box: finds the "/word" the caret is in and the canned
// responses whose shortcut starts with it.
import type { CannedResponse } from "../../shared/protocol.ts";

export type ShortcutToken = { start: number; end: number; typed: string };

const SHORTCUT_BEFORE_CARET = /(?:^|\s)\/([\p{L}\p{N}_-]*)$/u;
const WORD_AFTER_CARET = /^[\p{L}\p{N}_-]*/u;
const MAX_SUGGESTIONS = 8;

/** The "/word" around the caret, when the slash starts the text or follows a space. */
export function shortcutAtCaret(text: string, caret: number): ShortcutToken | null {
  const before = SHORTCUT_BEFORE_CARET.exec(text.slice(0, caret));
  if (!before) return null;
  const typed = before[1]!;
  const rest = WORD_AFTER_CARET.exec(text.slice(caret))![0];
  return { start: caret - typed.length - 1, end: caret + rest.length, typed: typed + rest };
}

export function matchShortcuts(responses: readonly CannedResponse[], typed: string): CannedResponse[] {
  const wanted = typed.toLowerCase();
  return responses.filter((r) => r.shortcut?.toLowerCase().startsWith(wanted)).slice(0, MAX_SUGGESTIONS);
}
