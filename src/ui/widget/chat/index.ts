// The chat part of the widget, loaded by widget.js as an ES module when the visitor opens the
// chat (or has one running). Its file name carries a content hash, so it is cached for good.
import type { ChatModule } from "../contract.ts";
import { createChatWindow } from "./chat-window.ts";

export const mount: ChatModule["mount"] = (host) => createChatWindow(host);
