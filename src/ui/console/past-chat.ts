// Reading a chat that is not one of the operator's open tabs (an earlier chat of the visitor in
// the context panel), without joining it: one function for every place that offers it, so a fuller
// read-only view can take its place in one spot. For now a dialog listing its messages from
// `GET /api/chats/{chatId}/messages`; a console tab would not do, as a tab's socket joins the chat.
import { createComponent } from "solid-js";
import { render } from "solid-js/web";

let closeOpen: (() => void) | null = null;

/** Shows the chat's messages, read-only, in a modal dialog; focus returns where it was on close. */
export async function openPastChat(chatId: string): Promise<void> {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  // Loaded on first use: most sessions never open one.
  const { PastChatDialog } = await import("./components/past-chat-dialog.tsx");
  closeOpen?.();
  const host = document.body.appendChild(document.createElement("div"));
  const close = () => {
    dispose();
    host.remove();
    if (closeOpen === close) closeOpen = null;
    opener?.focus();
  };
  const dispose = render(() => createComponent(PastChatDialog, { chatId, onClose: close }), host);
  closeOpen = close;
}
