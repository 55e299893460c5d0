// The operator's open chats, one tab each, and which one is shown. Every tab keeps its own
// connection, draft and scroll position; only the active one is rendered. Tabs keep their order
// (new ones at the end, across reloads too), and a chat that arrives never takes the selection:
// only the operator's own act (a click, accepting a chat) changes which chat they type into.
import { batch, createSignal, type Accessor } from "solid-js";
import type { OperatorProfile } from "../../shared/protocol.ts";
import { api, ApiError } from "./api.ts";
import { ChatConnection, type ChatEvents, type ChatTabInfo } from "./chat-connection.ts";
import { readJson, readText, storageKeys, writeJson, writeText } from "./storage.ts";

/** How long a just-accepted chat may take to connect before its tab is shown anyway. */
const LIVE_WAIT_MS = 5_000;
/** The chat list failed for a reason that may pass (network, server restarting): try again. */
const LOAD_RETRY_MS = 5_000;

type ChatTabs = {
  tabs: Accessor<ChatConnection[]>;
  active: Accessor<ChatConnection | null>;
  activate(chatId: string): void;
  /** Opens a tab for a chat at once (or finds the existing one), at the end, not selected
   * unless no tab is. */
  open(info: ChatTabInfo): ChatConnection;
  /** Opens a tab for a just-accepted chat once its socket is live, and shows it: a tab that
   * appears is one whose visitor can already be heard. */
  openWhenLive(info: ChatTabInfo): Promise<ChatConnection>;
  /** Closes a tab for good: its socket, draft and unsent messages go with it. */
  dismiss(chatId: string): void;
  /** Loading the chats the operator is in: "loading", then "ready" or what went wrong. */
  loadState: Accessor<string>;
  unreadTotal(): number;
  dispose(): void;
};

export function createChatTabs(operator: OperatorProfile, events: ChatEvents): ChatTabs {
  const [tabs, setTabs] = createSignal<ChatConnection[]>([]);
  const [activeId, setActiveId] = createSignal<string | null>(readText(storageKeys.activeChat(operator.id)) || null);
  const [loadState, setLoadState] = createSignal("loading");
  /** Connections still waiting for their first welcome before they get a tab. */
  const connecting = new Map<string, ChatConnection>();
  let disposed = false;

  const find = (chatId: string) => tabs().find((tab) => tab.chatId === chatId);

  function activate(chatId: string): void {
    setActiveId(chatId);
    writeText(storageKeys.activeChat(operator.id), chatId);
  }

  const orderKey = storageKeys.tabOrder(operator.id);
  function setOrdered(next: ChatConnection[]): void {
    setTabs(next);
    writeJson(
      orderKey,
      next.map((tab) => tab.chatId),
    );
  }

  /** New tabs go at the end. With no chat shown at all, the first one to arrive is shown (no
   * draft can go astray: the text input is disabled while no chat is open). */
  function add(tab: ChatConnection): void {
    setOrdered([...tabs(), tab]);
    if (!activeId() || !find(activeId()!)) activate(tab.chatId);
  }

  function open(info: ChatTabInfo): ChatConnection {
    const existing = find(info.chatId) ?? connecting.get(info.chatId);
    if (existing) return existing;
    const tab = new ChatConnection(info, operator, events);
    add(tab);
    return tab;
  }

  /** An ended chat's tab has stopped its socket for good. If the chat comes back (the visitor
   * wrote again by email and it was taken from the queue), that tab gives way to a fresh one. */
  function dropIfStopped(chatId: string): void {
    const stale = find(chatId);
    if (!stale || stale.linkState() !== "stopped" || stale.state.unreachable) return;
    stale.dispose();
    setOrdered(tabs().filter((tab) => tab !== stale));
  }

  async function openWhenLive(info: ChatTabInfo): Promise<ChatConnection> {
    dropIfStopped(info.chatId);
    let tab = find(info.chatId) ?? connecting.get(info.chatId);
    if (!tab) {
      tab = new ChatConnection(info, operator, events);
      connecting.set(info.chatId, tab);
      await Promise.race([tab.firstWelcome, new Promise((resolve) => setTimeout(resolve, LIVE_WAIT_MS))]);
      connecting.delete(info.chatId);
      if (disposed) tab.dispose();
      else add(tab);
    }
    if (!disposed) activate(info.chatId);
    return tab;
  }

  function dismiss(chatId: string): void {
    const index = tabs().findIndex((tab) => tab.chatId === chatId);
    if (index < 0) return;
    const remaining = tabs().filter((tab) => tab.chatId !== chatId);
    tabs()[index]!.forget();
    batch(() => {
      setOrdered(remaining);
      if (activeId() === chatId) {
        const next = remaining[Math.min(index, remaining.length - 1)];
        if (next) activate(next.chatId);
        else setActiveId(null);
      }
    });
  }

  async function load(): Promise<void> {
    try {
      const { chats } = await api.myChats();
      if (disposed) return;
      const mine = chats.filter((chat) => chat.operatorIds.includes(operator.id) && chat.status !== "closed");
      // In the order the tabs had before the reload; chats the console had no tab for yet (taken
      // in another window) after them, oldest first; anything opened while loading stays last.
      const stored = readJson<unknown>(orderKey);
      const before = Array.isArray(stored) ? stored : [];
      const place = (chatId: string) => {
        const index = before.indexOf(chatId);
        return index < 0 ? before.length : index;
      };
      const known = new Set([...tabs().map((tab) => tab.chatId), ...connecting.keys()]);
      const loaded = mine
        .filter((chat) => !known.has(chat.id))
        .sort((a, b) => place(a.id) - place(b.id) || a.createdAt - b.createdAt)
        .map(
          (chat) =>
            new ChatConnection(
              {
                chatId: chat.id,
                visitorName: chat.visitorName,
                status: chat.status,
                offline: chat.offline,
                visitorEmail: chat.visitorEmail,
              },
              operator,
              events,
            ),
        );
      batch(() => {
        setOrdered([...loaded, ...tabs()]);
        const wanted = activeId();
        if (!wanted || !find(wanted)) {
          const first = tabs()[0];
          if (first) activate(first.chatId);
        }
        setLoadState("ready");
      });
    } catch (error) {
      setLoadState(error instanceof Error ? error.message : "Your chats could not be loaded.");
      const retryable = !(error instanceof ApiError) || error.status === 0 || error.status >= 500;
      if (retryable && !disposed) setTimeout(() => void load(), LOAD_RETRY_MS);
    }
  }
  void load();

  return {
    tabs,
    active: () => {
      const id = activeId();
      return id ? (find(id) ?? null) : null;
    },
    activate,
    open,
    openWhenLive,
    dismiss,
    loadState,
    unreadTotal: () => tabs().reduce((sum, tab) => sum + tab.unread(), 0),
    dispose: () => {
      disposed = true;
      for (const tab of [...tabs(), ...connecting.values()]) tab.dispose();
    },
  };
}
