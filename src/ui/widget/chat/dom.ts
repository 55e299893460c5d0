// The chat window's one DOM helper, for the chat part and the parts it loads later alike (the
// build lets them import it from the chat part: vite.widget.config.ts).

/** An element with an optional class and text; text is only ever set as text, never as HTML. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
