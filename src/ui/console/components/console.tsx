// The signed-in console. Top to bottom, as in the manual: chat history, text input area, the
// movable splitter, then the tabs area; presence and the waiting queue sit in a side column.
// This component owns the connections for the session and wires their news to notifications.
// The Control Panel (owners and admins) and "My responses" are drawn in place of the chat column,
// loaded on first use; the chats and the lobby keep running behind them.
import {
  createEffect,
  createMemo,
  createResource,
  createSignal,
  ErrorBoundary,
  lazy,
  on,
  onCleanup,
  Show,
  Suspense,
} from "solid-js";
import type { ConfigTopic, LiveVisitor, WaitingChat } from "../../../shared/lobby-protocol.ts";
import type { CannedResponse, ChatMessage, DepartmentSummary } from "../../../shared/protocol.ts";
import { api, ApiError } from "../api.ts";
import { accountTags, reloadAccountTags } from "../account-tags.ts";
import type { ChatConnection } from "../chat-connection.ts";
import { createChatTabs } from "../chat-tabs.ts";
import { hrefOf, navigate, route } from "../control-panel/route.ts";
import { LobbyConnection } from "../lobby-connection.ts";
import {
  alertOperator,
  notificationPermission,
  pageInView,
  requestNotificationPermission,
  setUnreadTitle,
} from "../notifications.ts";
import { endSession, signOut, type Session } from "../session.ts";
import { readJson, storageKeys, writeJson } from "../storage.ts";
import { ChatPanel } from "./chat-panel.tsx";
import { announce, LiveRegion } from "./live-region.tsx";
import { PresencePanel, TeamList } from "./presence-panel.tsx";
import { Splitter } from "./splitter.tsx";
import { TabsArea } from "./tabs-area.tsx";
import type { TransferTarget } from "./transfer-control.tsx";
import { WaitingList } from "./waiting-list.tsx";
import { VisitorList } from "./visitor-list.tsx";

const DEFAULT_TABS_HEIGHT = 132;
const MIN_TABS_HEIGHT = 56;
const MIN_HISTORY_HEIGHT = 120;
const NOTICE_MS = 8_000;

// Separate chunks: operators who never open them never download them.
const ControlPanel = lazy(() => import("../control-panel/control-panel.tsx"));
const MyResponses = lazy(() => import("../control-panel/my-responses.tsx"));
const HistoryPage = lazy(() => import("../history/history-page.tsx"));
const ReportsPage = lazy(() => import("../reports/reports-page.tsx"));

type LayoutPrefs = { tabsHeight?: number };

export function Console(props: { session: Session }) {
  const operator = props.session.operator;
  let messageInput: HTMLTextAreaElement | undefined;
  let chatColumn!: HTMLElement;

  // ---- Connections -----------------------------------------------------------------------------
  const tabs = createChatTabs(operator, { onIncoming: newMessage });
  const lobby = new LobbyConnection(operator.id, {
    onWaiting: newWaitingChat,
    onRinging: ringingChat,
    onSetAway: (missed) =>
      showNotice(
        `You were set to Away: ${missed} chats in a row rang out without an answer. Go online to take chats again.`,
      ),
    onDequeued: chatDequeued,
    onConfigChanged: configChanged,
    onChatForMe: chatForMe,
    onDeactivated: () => endSession("deactivated"),
  });
  const active = createMemo(() => tabs.active());
  onCleanup(() => {
    tabs.dispose();
    lobby.dispose();
    setUnreadTitle(0);
  });
  const [responses, { refetch: refetchResponses }] = createResource<CannedResponse[]>(async (_, { value }) => {
    try {
      return (await api.cannedResponses()).responses;
    } catch {
      // A failed refresh keeps the list there was; a failed first load leaves the bar showing
      // "No canned responses". Chatting goes on either way.
      return value ?? [];
    }
  });
  const [chosenCannedId, setChosenCannedId] = createSignal("");

  // ---- Administration ----------------------------------------------------------------------
  const isAdmin = operator.role === "owner" || operator.role === "admin";
  /** Bumped on each config_changed notice, for the Control Panel's pages to reload by. */
  const [cannedChanges, setCannedChanges] = createSignal(0);
  const [settingsChanges, setSettingsChanges] = createSignal(0);
  function configChanged(what: ConfigTopic) {
    if (what === "canned") {
      void refetchResponses();
      setCannedChanges((n) => n + 1);
    } else if (what === "tags") {
      // Names in the tabs, the picker and History follow a rename; a deleted tag's chip goes.
      void reloadAccountTags();
    } else {
      setSettingsChanges((n) => n + 1);
    }
  }
  /** What replaces the chat column, if anything. Operators get no Control Panel (the API would
   * refuse them anyway), even by typing its address. */
  const panel = createMemo(() => {
    const current = route();
    if (current.kind === "admin") return isAdmin ? current : null;
    return current.kind === "my-responses" || current.kind === "history" || current.kind === "reports" ? current : null;
  });
  const headerLinks: Partial<Record<"admin" | "my-responses" | "history" | "reports", HTMLAnchorElement>> = {};
  // Back from a panel page, the keyboard user lands where they will want to type again, or on
  // the link they came by.
  createEffect(
    on(panel, (now, before) => {
      if (now || !before) return;
      (messageInput && !messageInput.disabled ? messageInput : headerLinks[before.kind])?.focus();
    }),
  );
  const adminPage = () => {
    const shown = panel();
    return shown?.kind === "admin" ? shown.page : null;
  };
  const historyPage = () => {
    const shown = panel();
    return shown?.kind === "history" ? shown : null;
  };

  // ---- Read receipts and the title ---------------------------------------------------------
  const [pageVisible, setPageVisible] = createSignal(document.visibilityState === "visible");
  const onVisibility = () => setPageVisible(document.visibilityState === "visible");
  document.addEventListener("visibilitychange", onVisibility);
  onCleanup(() => document.removeEventListener("visibilitychange", onVisibility));
  // What the active tab shows while the page is visible counts as read, and is reported.
  createEffect(() => {
    const chat = active();
    if (chat && pageVisible() && !panel()) chat.markRead();
  });
  createEffect(() => setUnreadTitle(tabs.unreadTotal()));

  function select(chat: ChatConnection, byKeyboard = false) {
    // Picking a chat (from a notification, or by accepting one) leaves the Control Panel.
    if (panel()) navigate({ kind: "chat" });
    tabs.activate(chat.chatId);
    // A click on a tab means "I want to answer this one"; arrow keys are still browsing tabs.
    if (!byKeyboard) messageInput?.focus();
  }

  function newMessage(chat: ChatConnection, message: ChatMessage) {
    const note = message.kind === "note";
    const said = message.kind === "file" ? `sent the file ${message.text}` : message.text;
    if (active() === chat && !panel()) {
      announce(`${message.author.name}${note ? " (private note)" : ""}: ${said}`);
      if (pageInView()) return;
    }
    alertOperator({
      title: note
        ? `Private note from ${message.author.name} (chat with ${chat.state.visitorName})`
        : `New message from ${chat.state.visitorName}`,
      body: message.kind === "file" ? `Sent the file ${message.text}` : message.text,
      tag: `chat-${chat.chatId}`,
      onClick: () => select(chat),
    });
  }

  // ---- Waiting chats -------------------------------------------------------------------------
  const [accepting, setAccepting] = createSignal<ReadonlySet<string>>(new Set());
  const [acceptNotice, setAcceptNotice] = createSignal<string | null>(null);
  let noticeTimer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(noticeTimer));

  function showNotice(text: string) {
    setAcceptNotice(text);
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => setAcceptNotice(null), NOTICE_MS);
  }

  function newWaitingChat(chat: WaitingChat) {
    announce(`${chat.visitorName} is waiting for an operator.`);
    alertOperator({
      title: `${chat.visitorName} is waiting`,
      body: "A visitor is waiting for an operator.",
      tag: `waiting-${chat.chatId}`,
      onClick: () => {},
    });
  }

  function ringingChat(chat: WaitingChat) {
    announce(`${chat.visitorName}'s chat is ringing for you. Accept or decline it.`);
    alertOperator({
      title: `${chat.visitorName}'s chat is for you`,
      body: "Accept it before the ring ends, or decline it for a colleague.",
      tag: `ringing-${chat.chatId}`,
      onClick: () => {},
    });
  }

  /** Taken by this operator in another window: it belongs in the tabs here too. (When it was
   * taken here, accept() is already opening it.) */
  function chatDequeued(chatId: string, byMe: boolean, chat: WaitingChat | undefined) {
    if (byMe && !accepting().has(chatId))
      arrived(chatId, chat?.visitorName ?? "Visitor", "You accepted this chat in another window.");
  }

  /** A chat this operator is in now without having clicked for it here: it appears as a tab at
   * the end, with its unread mark, and a notification says so. It never takes the selection or
   * the focus: the operator may be typing to another visitor, and the rest of her keystrokes
   * must not land in this chat. */
  function arrived(chatId: string, visitorName: string, body: string) {
    const tab = tabs.open({ chatId, visitorName, status: "active", replayAll: true });
    announce(`${visitorName}'s chat was added to your tabs.`);
    alertOperator({
      title: `${visitorName} is chatting with you`,
      body,
      tag: `chat-${chatId}`,
      onClick: () => select(tab),
    });
  }

  async function accept(chat: WaitingChat) {
    setAccepting(new Set([...accepting(), chat.chatId]));
    try {
      await api.acceptChat(chat.chatId);
      lobby.forget(chat.chatId);
      const tab = await tabs.openWhenLive({
        chatId: chat.chatId,
        visitorName: chat.visitorName,
        status: "active",
        replayAll: true,
        offline: chat.offline,
        visitorEmail: chat.visitorEmail,
      });
      select(tab);
    } catch (error) {
      const status = error instanceof ApiError ? error.status : 0;
      // Refused for now only (full, or it rings for a colleague): the card stays.
      const forNow = error instanceof ApiError && (error.code === "at_capacity" || error.code === "offered_elsewhere");
      if ((status === 409 && !forNow) || status === 404) lobby.forget(chat.chatId);
      const code = error instanceof ApiError ? error.code : null;
      if (code === "at_capacity" || code === "offered_elsewhere") showNotice((error as ApiError).message);
      else if (status === 409) showNotice(`${chat.visitorName}'s chat was already taken by another operator.`);
      else if (status === 404) showNotice(`${chat.visitorName} is no longer waiting.`);
      else showNotice(error instanceof Error ? error.message : "The chat could not be accepted.");
    } finally {
      setAccepting(new Set([...accepting()].filter((id) => id !== chat.chatId)));
    }
  }

  // ---- Live visitors, invitations, transfer ---------------------------------------------------
  const [picked, setInvitee] = createSignal<LiveVisitor | null>(null);
  /** The picked visitor as the lobby knows them now (they may have moved to another page). */
  const invitee = createMemo(() => {
    const chosen = picked();
    return chosen ? (lobby.visitors().find((v) => v.id === chosen.id) ?? chosen) : null;
  });
  /** The account's departments, to transfer a chat to; a failed load just leaves colleagues. */
  const [departments] = createResource<DepartmentSummary[]>(async () => {
    try {
      return (await api.departments()).departments;
    } catch {
      return [];
    }
  });
  async function inviteVisitor(text: string): Promise<boolean> {
    const visitor = invitee();
    if (!visitor) return false;
    try {
      await api.inviteVisitor(visitor.id, text);
      announce("Invitation sent.");
      showNotice(`Invitation sent to the visitor on ${visitor.title || visitor.url}.`);
      // Sent: back to the chat the operator came from, where her draft is.
      leaveInviteMode();
      return true;
    } catch (error) {
      showNotice(error instanceof Error ? error.message : "The invitation could not be sent.");
      return false;
    }
  }
  function leaveInviteMode() {
    setInvitee(null);
    messageInput?.focus();
  }
  /** A visitor answered this operator's invitation, or a colleague handed over a chat. */
  function chatForMe(chatId: string, visitorName: string) {
    arrived(chatId, visitorName, "A chat was handed to you.");
  }
  async function transfer(chat: ChatConnection, target: TransferTarget, stay: boolean): Promise<string | null> {
    try {
      await api.transferChat(
        chat.chatId,
        "operatorId" in target ? { operatorId: target.operatorId, stay } : { departmentId: target.departmentId },
      );
      if (!stay) tabs.dismiss(chat.chatId);
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : "The chat could not be transferred.";
    }
  }

  // ---- Splitter --------------------------------------------------------------------------------
  const layoutKey = storageKeys.layout(operator.id);
  const [tabsHeight, setTabsHeight] = createSignal(readJson<LayoutPrefs>(layoutKey)?.tabsHeight ?? DEFAULT_TABS_HEIGHT);
  /** The tabs area may grow until the history above it is down to its minimum. */
  const maxTabsHeight = () => {
    const history = chatColumn.querySelector<HTMLElement>("[data-testid=history-area]");
    return tabsHeight() + (history ? history.offsetHeight - MIN_HISTORY_HEIGHT : 0);
  };

  return (
    <div class="console">
      <header class="top-bar">
        <span class="brand">Parley</span>
        <span class="operator-name">{operator.name}</span>
        <span class="spacer" />
        <a
          class="top-link"
          ref={(link) => (headerLinks.history = link)}
          href={hrefOf({ kind: "history", chatId: null, seq: null })}
          data-testid="history-link"
          aria-current={panel()?.kind === "history" ? "page" : undefined}
        >
          History
        </a>
        <a
          class="top-link"
          ref={(link) => (headerLinks.reports = link)}
          href={hrefOf({ kind: "reports" })}
          data-testid="reports-link"
          aria-current={panel()?.kind === "reports" ? "page" : undefined}
        >
          Reports
        </a>
        <a
          class="top-link"
          ref={(link) => (headerLinks["my-responses"] = link)}
          href={hrefOf({ kind: "my-responses" })}
          data-testid="my-responses-link"
          aria-current={panel()?.kind === "my-responses" ? "page" : undefined}
        >
          My responses
        </a>
        <Show when={isAdmin}>
          <a
            class="top-link"
            ref={(link) => (headerLinks.admin = link)}
            href={hrefOf({ kind: "admin", page: "canned" })}
            data-testid="control-panel-link"
            aria-current={panel()?.kind === "admin" ? "page" : undefined}
          >
            Control Panel
          </a>
        </Show>
        <Show when={notificationPermission() === "default"}>
          <button type="button" data-testid="enable-notifications" onClick={() => void requestNotificationPermission()}>
            Enable desktop notifications
          </button>
        </Show>
        <button type="button" data-testid="sign-out" onClick={() => signOut(api.logout)}>
          Sign out
        </button>
      </header>
      <div class="workspace">
        <main class="chat-column" ref={chatColumn} hidden={panel() !== null}>
          <ChatPanel
            chat={active()}
            operator={operator}
            responses={responses() ?? []}
            chosenCannedId={chosenCannedId()}
            onChooseCanned={setChosenCannedId}
            inputRef={(input) => (messageInput = input)}
            onDismiss={(chat) => tabs.dismiss(chat.chatId)}
            onLeave={(chat) => chat.leave() && tabs.dismiss(chat.chatId)}
            invite={
              invitee()
                ? {
                    visitor: invitee()!,
                    visitorLabel: `the visitor on ${invitee()!.title || invitee()!.url}`,
                    onInvite: inviteVisitor,
                    onCancel: leaveInviteMode,
                  }
                : null
            }
            colleagues={lobby.operators().filter((op) => op.id !== operator.id)}
            departments={departments() ?? []}
            onTransfer={transfer}
          />
          <Splitter
            size={tabsHeight()}
            min={MIN_TABS_HEIGHT}
            max={maxTabsHeight}
            onResize={setTabsHeight}
            onResizeEnd={() => writeJson(layoutKey, { tabsHeight: tabsHeight() } satisfies LayoutPrefs)}
            controls="tabs-area"
          />
          <TabsArea
            tabs={tabs.tabs()}
            active={active()}
            height={tabsHeight()}
            loadState={tabs.loadState()}
            onSelect={(chat, byKeyboard) => (setInvitee(null), select(chat, byKeyboard))}
          />
        </main>
        <Show when={panel() !== null}>
          <main class="panel-column">
            <ErrorBoundary fallback={(error, retry) => <PanelLoadFailed error={error} retry={retry} />}>
              <Suspense fallback={<p class="hint panel-loading">Loading…</p>}>
                <Show
                  when={adminPage()}
                  fallback={
                    <Show
                      when={historyPage()}
                      fallback={
                        <Show
                          when={panel()?.kind === "reports"}
                          fallback={
                            <MyResponses
                              me={operator}
                              responses={responses.latest ?? []}
                              onChanged={async () => await refetchResponses()}
                            />
                          }
                        >
                          <ReportsPage isAdmin={isAdmin} departments={departments() ?? []} />
                        </Show>
                      }
                    >
                      {(shown) => (
                        <HistoryPage
                          chatId={shown().chatId}
                          seq={shown().seq}
                          myId={operator.id}
                          departments={departments() ?? []}
                          operators={lobby.operators()}
                          tags={[...accountTags()]}
                        />
                      )}
                    </Show>
                  }
                >
                  {(page) => (
                    <ControlPanel
                      me={operator}
                      page={page()}
                      cannedChanges={cannedChanges}
                      settingsChanges={settingsChanges}
                      onCannedChanged={() => void refetchResponses()}
                    />
                  )}
                </Show>
              </Suspense>
            </ErrorBoundary>
          </main>
        </Show>
        <aside class="side-column" aria-label="Lobby">
          <PresencePanel lobby={lobby} />
          <WaitingList
            lobby={lobby}
            departments={departments() ?? []}
            notice={acceptNotice()}
            accepting={accepting()}
            onAccept={(chat) => void accept(chat)}
            onDecline={(chat) => lobby.decline(chat.chatId)}
          />
          <VisitorList lobby={lobby} selectedId={invitee()?.id ?? null} onSelect={setInvitee} />
          <TeamList lobby={lobby} myId={operator.id} />
        </aside>
      </div>
      <LiveRegion />
    </div>
  );
}

/** The panel's code could not be loaded (offline, or a new version replaced it on the server). */
function PanelLoadFailed(props: { error: unknown; retry(): void }) {
  return (
    <div class="notice panel-loading" role="alert">
      <p>This page could not be loaded. {props.error instanceof Error ? props.error.message : ""}</p>
      <button type="button" onClick={() => props.retry()}>
        Try again
      </button>{" "}
      <button type="button" data-testid="cp-back" onClick={() => navigate({ kind: "chat" })}>
        Back to chats
      </button>
    </div>
  );
}
