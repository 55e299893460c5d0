// One message as DOM nodes. Text is only ever set as text: URLs and email addresses become <a>
// elements built from text nodes (common/linkify.ts), never HTML parsed from a message.
import { linkify } from "../../common/linkify.ts";
import type { ChatMessage } from "../../../shared/protocol.ts";
import { fill, type Texts } from "../texts.ts";
import { el } from "./dom.ts";

function richText(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const part of linkify(text)) {
    if (!part.href) {
      fragment.append(part.text);
      continue;
    }
    const a = el("a", undefined, part.text);
    a.href = part.href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    fragment.append(a);
  }
  return fragment;
}

/** The words for a system message in the widget's language (the stored text is English). */
export function systemText(m: ChatMessage, texts: Texts): string {
  const template =
    m.event === "join" ? texts.joined : m.event === "leave" ? texts.left : m.event === "close" ? texts.closed : null;
  return template ? fill(template, { name: m.author.name }) : m.text;
}

/** A stored message (seq set) or a pending one of the visitor's (seq null). */
export function messageNode(m: {
  seq: number | null;
  text: string;
  author: "visitor" | "operator" | "system";
  name?: string;
}): HTMLElement {
  const node = el("div", `msg ${m.author}`);
  node.dataset.testid = "parley-message";
  node.dataset.author = m.author;
  if (m.seq !== null) node.dataset.seq = String(m.seq);
  else node.dataset.pending = "true";
  if (m.author === "operator" && m.name) node.append(el("div", "name", m.name));
  const bubble = el("div", "bubble");
  bubble.append(m.author === "system" ? document.createTextNode(m.text) : richText(m.text));
  node.append(bubble);
  return node;
}

/** Sets (or clears, with "") the small line under a message: Seen, Sending…, Not delivered. */
export function setMeta(node: HTMLElement, text: string): void {
  let meta = node.querySelector<HTMLElement>(".meta");
  if (!text) return meta?.remove();
  if (!meta) node.append((meta = el("div", "meta")));
  meta.textContent = text;
}
