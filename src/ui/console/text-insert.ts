// Putting text into the message box as if it were typed or pasted: through the browser's own
// editing command, so the native undo (Ctrl+Z, or Undo in the context menu) can take it back.

/** Inserts `text` at the caret, or over `range` (say, a "/shortcut" being completed), with a
 * space between it and any word right before or after it, so that a canned response never runs
 * into the operator's own words. */
export function insertIntoTextarea(
  input: HTMLTextAreaElement,
  inserting: string,
  range?: { start: number; end: number },
): void {
  if (input.disabled) return;
  input.focus();
  if (range) input.setSelectionRange(range.start, range.end);
  const before = input.value.slice(0, input.selectionStart);
  const after = input.value.slice(input.selectionEnd);
  const text = `${before && !/\s$/.test(before) ? " " : ""}${inserting}${after && !/^\s/.test(after) ? " " : ""}`;
  // execCommand is deprecated, yet it is still the only way onto the undo stack; where it is
  // missing, setRangeText inserts without undo, and the input event keeps the draft in step.
  const inserted = typeof document.execCommand === "function" && document.execCommand("insertText", false, text);
  if (!inserted) {
    input.setRangeText(text, input.selectionStart, input.selectionEnd, "end");
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }
}
