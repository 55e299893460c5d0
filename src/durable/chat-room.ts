// One ChatRoom object per chat. It owns the chat's truth: its participants and the ordered log of
// every message, in the object's own SQLite storage. Sockets are accepted with the Hibernation
// API, so an idle chat is evicted from memory and costs nothing, and wakes on the next frame with
// each socket's identity restored from its attachment.
import { DurableObject } from "cloudflare:workers";
import {
  frameSenders,
  MAX_HISTORY_PAGE,
  parseClientFrame,
  PING_FRAME,
  PONG_FRAME,
  TYPING_MIN_INTERVAL_MS,
  VISITOR_MESSAGE_BURST,
  VISITOR_MESSAGES_PER_SECOND,
  type ChatMessage,
  type ChatRating,
  type ChatStatus,
  type ClientFrame,
  type ParticipantKind,
  type ErrorCode,
  type FileAttachment,
  type HistoryPage,
  type Participant,
  type ParticipantState,
  type ServerFrame,
  type SystemEvent,
} from "../shared/protocol.ts";
import {
  expiredStanding,
  operatorStanding,
  refuseSocket,
  sessionExpired,
  standingAfter,
  type OperatorSession,
  type VisitorSession,
} from "./socket-holder.ts";
import { lobbyOf } from "./lobby-address.ts";
import { readReassignAfterMs, UnansweredClock, UNANSWERED_SCHEMA } from "./unanswered.ts";
import type { AcceptResult, LobbyOperator } from "./lobby.ts";
import { positiveNumber, TokenBucket } from "./token-bucket.ts";
import { problemResponse } from "../server/problems.ts";
import type { TranscriptSource } from "../server/email/transcript.ts";
import {
  releaseTranscriptSlot,
  takeTranscriptSlot,
  TRANSCRIPT_SLOTS_SCHEMA,
  type SlotResult,
} from "./transcript-slots.ts";
import { readSettings } from "../server/db/settings.ts";
import { composeTranscript } from "../server/email/compose.ts";
import { sendEmail } from "../server/email/send.ts";
import {
  ANSWER_MAIL_SCHEMA,
  answerMailState,
  DEFAULT_ANSWER_MAIL_DELAY_S,
  markAnswerMailDue,
  markAnswersMailed,
  rememberAnswerAddress,
} from "./answer-mail.ts";
import { ChatLog, type Audience } from "./chat-log.ts";
import { EventOutbox, OUTBOX_SCHEMA, SEND_AFTER_MS, type OtherChatEvent } from "./event-outbox.ts";
import { messageJson } from "./message-json.ts";
import type { Without } from "../shared/events.ts";
import { CHAT_TAGS_SCHEMA, forgetDeletedTags, mirrorChatTags, readTagIds, writeTagIds } from "./chat-tags.ts";
import { acceptTagged, attach, attachmentOf, closeQuietly, sendQuietly } from "./sockets.ts";
import {
  deleteChatFiles,
  eraseChatRows,
  RETENTION_SCHEMA,
  retentionDueAt,
  type ChatExport,
  type ErasedChat,
} from "./chat-privacy.ts";
import {
  recordChatClosed,
  recordChatMissed,
  recordChatRated,
  recordChatStarted,
  recordChatWaitingAgain,
  recordOperatorJoined,
  recordOperatorLeft,
  recordTransfer,
  recordVisitorEmailIfMissing,
  type VisitorSeenFrom,
} from "./chat-index.ts";

/** Header the Worker sets, after authenticating, to tell the room who is connecting. Only the
 * Worker can reach this object, so the header cannot come from a client. */
export const PARTICIPANT_HEADER = "X-Parley-Participant";
/** Set by the Worker when the socket speaks parley.v2 (src/shared/socket-auth.ts): its acks are short. */
export const SHORT_ACKS_HEADER = "X-Parley-Short-Acks";

export function chatRoomOf(env: Env, chatId: string) {
  return env.CHAT_ROOM.get(env.CHAT_ROOM.idFromName(chatId));
}

/** How a chat begins: waiting in its department's queue (the widget's chat), as a message left
 * through the offline form while nobody was online (answers go out by email, to `answerTo`), or
 * as the visitor's answer to an operator's invitation (that operator is in it from the start, and
 * their invitation is its first message). */
export type ChatOpening =
  | { kind: "waiting" }
  | { kind: "offline"; text: string; answerTo: { email: string; acceptLanguage: string | null; origin: string | null } }
  | { kind: "invited"; operator: { id: string; name: string }; text: string; invitationId: string };
type ChatStart = {
  chatId: string;
  accountId: string;
  departmentId: string | null;
  visitor: Participant;
  visitorEmail: string | null;
  /** Where the visitor was when the chat started (the request's country and User-Agent). */
  seenFrom?: VisitorSeenFrom;
  opening: ChatOpening;
};
/** Where a transfer hands the chat: an operator (who joins; `stay`: the one handing it on stays
 * too), or a department's queue. */
export type TransferTarget =
  { kind: "operator"; operator: Participant; stay: boolean } | { kind: "department"; id: string; name: string };

/** Most messages a transcript carries: the newest ones, with a note of how many were left out. */
export const MAX_TRANSCRIPT_MESSAGES = 2000;

type TranscriptTake =
  | { ok: true; slot: number; remaining: number; source: TranscriptSource }
  | Exclude<SlotResult, { ok: true }>
  | { ok: false; code: "not_found" | "no_operator_yet" };
type EmailReplyResult =
  { ok: true; seq: number; duplicate: boolean; reopened: boolean } | { ok: false; code: "not_found" };
/** Who connects, as the Worker authenticated them, with what their token must stay true of. */
export type ConnectingParticipant = Participant & { accountId: string; session: OperatorSession | VisitorSession };

/** What each socket carries through hibernation. `ready` turns true after its hello has been
 * answered: only then does it receive live broadcasts, so replay and live never interleave.
 * `shortAcks`: the socket speaks parley.v2, whose acks carry only the cid, seq and time. */
type SocketAttachment = ConnectingParticipant & { ready: boolean; shortAcks?: true };

type ChatRow = {
  chat_id: string;
  account_id: string;
  department_id: string | null;
  visitor_id: string;
  status: ChatStatus;
};
/** What an upload learns before its bytes are read. `existing`: this cid is stored already (a
 * retry), so the upload is answered with that message and nothing new is kept. */
type FilePreparation = { ok: true; existing: ChatMessage | null } | { ok: false; code: FileRefusal };
/** `created` is false when the cid was stored already: the caller's copy of the bytes is surplus. */
type FileRecordResult = { ok: true; message: ChatMessage; created: boolean } | { ok: false; code: FileRefusal };
/** `conflict`: the cid names a text message of the same sender. */
export type FileRefusal = "forbidden" | "chat_closed" | "not_found" | "conflict";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS chat (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  chat_id TEXT NOT NULL, account_id TEXT NOT NULL, department_id TEXT,
  visitor_id TEXT NOT NULL, status TEXT NOT NULL, created_at INTEGER NOT NULL, closed_at INTEGER
);
CREATE TABLE IF NOT EXISTS participants (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL,
  joined_at INTEGER NOT NULL, left_at INTEGER, last_read_seq INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS missed (singleton INTEGER PRIMARY KEY CHECK (singleton = 1), deadline INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS rating (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1), rating TEXT NOT NULL, comment TEXT, at INTEGER NOT NULL
);${TRANSCRIPT_SLOTS_SCHEMA}${ANSWER_MAIL_SCHEMA}${UNANSWERED_SCHEMA}${OUTBOX_SCHEMA}${CHAT_TAGS_SCHEMA}${RETENTION_SCHEMA}`;

/** How soon a failed send of the room's events is tried again. */
const EVENTS_RETRY_MS = 10_000;

/** [burst, per second] per socket: a few hellos (a reconnect says one; a client stuck in a loop
 * says many), and read receipts at the pace a person reads. */
const FRAME_LIMITS: Record<"hello" | "read", [number, number]> = { hello: [5, 0.2], read: [20, 5] };

const sessionTag = (sessionId: string) => `session:${sessionId}`;

/** Two follow-ups that are usually none: no promise is made for a message that needs neither. */
function both(a: Promise<unknown> | undefined, b: Promise<unknown> | undefined): Promise<unknown> | undefined {
  return a && b ? Promise.all([a, b]) : (a ?? b);
}

export class ChatRoom extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private chatRow: ChatRow | undefined;
  /** Kept in memory only: after a wake-up one extra typing frame may pass, which is harmless. */
  private readonly lastTypingAt = new WeakMap<WebSocket, number>();
  /** Per visitor (all their sockets together): how fast they may send messages. */
  private readonly visitorBuckets = new Map<string, TokenBucket>();
  /** Per socket: how often it may say hello (each replays the log) and send read receipts. In
   * memory: after a wake-up a socket starts with a full allowance, which is harmless. */
  private readonly frameBuckets = new WeakMap<WebSocket, Partial<Record<"hello" | "read", TokenBucket>>>();

  private log: ChatLog;
  /** What leaves the chat for search, reports and webhooks; null when the pipeline is
   * off (EVENT_PIPELINE = "off", for measuring what it costs). */
  private readonly events: EventOutbox | null;
  /** How long the visitor has waited for an answer, in departments that reassign. */
  private readonly unanswered: UnansweredClock;
  /** Each socket's attachment, read once per wake-up (every frame and every broadcast needs it)
   * and written through `setHolder`, the only place it changes after the socket is accepted. */
  private readonly holders = new WeakMap<WebSocket, SocketAttachment>();
  /** The D1 mirror of the tags, written one after another so the last write is the last list. */
  private tagMirror: Promise<unknown> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    // Runs on every wake-up, so it must stay cheap: IF NOT EXISTS makes it a few page reads.
    this.sql.exec(SCHEMA);
    this.log = this.openLog();
    this.events =
      env.EVENT_PIPELINE === "off"
        ? null
        : new EventOutbox(
            this.sql,
            env.EVENTS,
            {
              chat: () => {
                const chat = this.chat();
                return chat && { accountId: chat.account_id, chatId: chat.chat_id };
              },
              lastSeq: () => this.log.lastSeq(),
              messagesAfter: (seq, limit) => this.log.after(seq, limit, "staff"),
            },
            () => this.alarmBy(Date.now() + EVENTS_RETRY_MS),
            positiveNumber(env.EVENTS_SEND_AFTER_MS, SEND_AFTER_MS),
          );
    // Events a crash left unsent go out now that the room is awake again.
    if (this.events?.pending()) this.events.sendSoon();
    this.unanswered = new UnansweredClock(this.sql);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING_FRAME, PONG_FRAME));
  }

  // ---- RPC from the Worker -------------------------------------------------------------------

  /** Starts the chat, with everything that follows from it outside the room: its row in the D1
   * index (first: a room without one could never be found, the reverse is harmless), and its place
   * in the queue unless an invited operator is in it already. Every step is idempotent, so a
   * failed start may be made again with the same `start`. */
  async start(start: ChatStart): Promise<void> {
    const { chatId, accountId, departmentId, visitor, visitorEmail, opening } = start;
    await recordChatStarted(this.env.DB, {
      chatId,
      accountId,
      departmentId,
      visitor,
      visitorEmail,
      seenFrom: start.seenFrom,
      offline: opening.kind === "offline",
    });
    const reassignAfterMs = await readReassignAfterMs(this.env.DB, departmentId);
    const now = Date.now();
    this.transaction(() => {
      const existing = this.chat();
      if (existing) {
        if (existing.chat_id !== chatId || existing.account_id !== accountId)
          throw new Error("chat room already holds another chat");
        return;
      }
      this.sql.exec(
        "INSERT INTO chat (singleton, chat_id, account_id, department_id, visitor_id, status, created_at) VALUES (1, ?, ?, ?, ?, 'waiting', ?)",
        chatId,
        accountId,
        departmentId,
        visitor.id,
        now,
      );
      this.sql.exec(
        "INSERT INTO participants (id, kind, name, joined_at) VALUES (?, 'visitor', ?, ?)",
        visitor.id,
        visitor.name,
        now,
      );
      this.chatRow = undefined;
      this.publish({
        type: "chat.started",
        at: now,
        departmentId,
        visitor: { id: visitor.id, name: visitor.name, email: visitorEmail },
        offline: opening.kind === "offline",
      });
      this.unanswered.configure(reassignAfterMs);
      if (opening.kind === "offline") {
        // The visitor's text is the chat's first message (its cid "offline"), so whoever accepts
        // the chat reads it like any other; the visitor is not in the widget to read the answer.
        this.log.append({ cid: "offline", kind: "text", author: visitor, text: opening.text, at: now });
        rememberAnswerAddress(this.sql, opening.answerTo, this.log.lastSeq());
      } else if (opening.kind === "invited") {
        const operator: Participant = { kind: "operator", ...opening.operator };
        this.admitOperator(this.chat()!, operator, now);
        this.log.append({ cid: opening.invitationId, kind: "text", author: operator, text: opening.text, at: now });
      }
    });
    if (opening.kind === "invited") {
      await recordOperatorJoined(this.env.DB, chatId, opening.operator.id, now);
      return this.reportStaff();
    }
    const offline = opening.kind === "offline" ? { offline: true as const, firstMessage: opening.text } : {};
    await lobbyOf(this.env, accountId).enqueue(
      {
        chatId,
        departmentId,
        visitorName: visitor.name,
        since: now,
        ...(visitorEmail ? { visitorEmail } : {}),
        ...offline,
      },
      accountId,
    );
  }

  /** An operator takes the chat from its queue. The account's lobby decides, so of two operators
   * accepting at once exactly one gets it (the lobby tells every console it is gone); the one who
   * got it joins here. */
  async accept(operator: LobbyOperator): Promise<AcceptResult> {
    const chat = this.chat();
    if (!chat) throw new Error("no such chat");
    const claim = await lobbyOf(this.env, chat.account_id).accept(chat.chat_id, operator);
    if (!claim.ok) return claim;
    // Someone took it (perhaps passed on for an unanswered visitor): the clock starts again with
    // the visitor's next message.
    this.unanswered.answered();
    // Read again: other events may have reached the room while the lobby was deciding.
    await this.joinOperator(this.chat()!, { kind: "operator", id: operator.id, name: operator.name }, "claimed")?.catch(
      (error: unknown) => console.error("accept follow-up failed", error),
    );
    return claim;
  }

  /** Adds an operator to a chat under way (to help or supervise) or still waiting (which takes it
   * from the queue). Joining twice is a no-op. */
  async join(operator: Participant): Promise<void> {
    const chat = this.chat();
    if (!chat) throw new Error("no such chat");
    await this.joinOperator(chat, operator, "joined")?.catch((error: unknown) =>
      console.error("join follow-up failed", error),
    );
  }

  /** A chat nobody took in time continues by email: the visitor's address is where operators'
   * answers go from now on (answer-mail.ts), their optional last word joins the log, and the chat
   * waits again as an offline message (which never expires), counted missed all the same. Only
   * while no operator is in it; a retry with the same cid changes nothing. */
  async continueByEmail(request: {
    email: string;
    cid: string;
    text: string | null;
    acceptLanguage: string | null;
    origin: string | null;
  }): Promise<{ ok: true } | { ok: false; code: "not_found" | "conflict" }> {
    const chat = this.chat();
    if (!chat) return { ok: false, code: "not_found" };
    if (chat.status !== "waiting") return { ok: false, code: "conflict" };
    const visitor = this.visitor(chat);
    const now = Date.now();
    const message = this.transaction(() => {
      const stored =
        request.text === null
          ? null
          : this.log.append({ cid: request.cid, kind: "text", author: visitor, text: request.text, at: now });
      // The visitor has read everything up to here in the widget; only later answers are mailed.
      rememberAnswerAddress(this.sql, request, this.log.lastSeq());
      return stored;
    });
    if (message) this.broadcast({ type: "msg", message });
    await recordVisitorEmailIfMissing(this.env.DB, chat.chat_id, request.email);
    const first = this.log.after(0, 50, "visitor").find((m) => m.kind === "text" && m.author.kind === "visitor");
    await lobbyOf(this.env, chat.account_id).enqueue(
      {
        chatId: chat.chat_id,
        departmentId: chat.department_id,
        visitorName: visitor.name,
        since: now,
        offline: true,
        visitorEmail: request.email,
        ...(first?.text ? { firstMessage: first.text } : {}),
      },
      chat.account_id,
    );
    return { ok: true };
  }

  /** Hands the chat on. To an operator: they join (and, unless `stay`, `from` leaves), and their
   * consoles open it; to a department: `from` leaves and the chat waits again, in that
   * department's queue. The log, and so the history, is this room's: it goes along by staying
   * where it is. */
  async transfer(
    from: Participant,
    to: TransferTarget,
  ): Promise<{ ok: true } | { ok: false; code: "forbidden" | "chat_closed" }> {
    const reassignAfterMs = to.kind === "department" ? await readReassignAfterMs(this.env.DB, to.id) : undefined;
    const chat = this.chat();
    if (!chat || !this.isCurrentParticipant(from.id)) return { ok: false, code: "forbidden" };
    if (chat.status === "closed") return { ok: false, code: "chat_closed" };
    const now = Date.now();
    const visitorName = this.visitor(chat).name;
    const target = to.kind === "operator" ? to.operator.name : to.name;
    const text =
      to.kind === "operator" && to.stay
        ? `${from.name} invited ${target} to the chat`
        : `${from.name} transferred the chat to ${target}`;
    this.appendSystem(from, "transfer", now, text);
    this.publish({
      type: "chat.transferred",
      at: now,
      from,
      to:
        to.kind === "operator"
          ? { kind: "operator", id: to.operator.id, name: to.operator.name }
          : { kind: "department", id: to.id, name: to.name },
    });
    if (to.kind === "operator") {
      if (!this.isCurrentParticipant(to.operator.id)) this.admitOperator(chat, to.operator, now);
      else if (chat.status === "waiting") this.setStatus("active");
    } else {
      this.sql.exec("UPDATE chat SET department_id = ?", to.id);
      this.setStatus("waiting");
      this.unanswered.configure(reassignAfterMs ?? null);
    }
    if (to.kind === "department" || !to.stay) {
      this.sql.exec("UPDATE participants SET left_at = ? WHERE id = ? AND left_at IS NULL", now, from.id);
      this.appendSystem(from, "leave", now);
      for (const socket of this.ctx.getWebSockets(from.id)) closeQuietly(socket, 1000, "transferred");
    }
    const handedTo =
      to.kind === "operator"
        ? { kind: "operator" as const, id: to.operator.id, stay: to.stay }
        : { kind: "department" as const, id: to.id };
    await recordTransfer(this.env.DB, chat.chat_id, from.id, handedTo, now);
    const lobby = lobbyOf(this.env, chat.account_id);
    await this.reportStaff();
    if (to.kind === "operator")
      await lobby.assign(to.operator.id, { chatId: chat.chat_id, visitorName, by: { id: from.id, name: from.name } });
    else await lobby.enqueue({ chatId: chat.chat_id, departmentId: to.id, visitorName, since: now }, chat.account_id);
    return { ok: true };
  }

  /** Sets the chat's tags (ids the Worker found to be its account's), open or ended: kept here,
   * sent to the operators' sockets (tags are internal: never to the visitor), and mirrored into
   * D1's chat_tags. Setting the same list again changes nothing and is answered the same; a
   * failed mirror throws, and the retry writes it. */
  async setTags(tagIds: string[], by: Participant): Promise<{ ok: true; tagIds: string[] } | { ok: false }> {
    const chat = this.chat();
    if (!chat) return { ok: false };
    const at = Date.now();
    const now = this.transaction(() => {
      writeTagIds(this.sql, tagIds, by, at);
      const current = readTagIds(this.sql);
      this.publish({ type: "chat.tagged", at, tagIds: current, by });
      return current;
    });
    this.broadcast({ type: "tags", tagIds: now }, undefined, (them) => them.kind === "operator");
    // Each write sends the list as it is when the write starts, so D1 ends with the room's last.
    const write = this.tagMirror.then(() =>
      mirrorChatTags(this.env.DB, chat.chat_id, chat.account_id, readTagIds(this.sql)),
    );
    this.tagMirror = write.catch(() => undefined);
    await write;
    return { ok: true, tagIds: now };
  }

  /** The account's lobby gave up on the chat: nobody took it before its queue deadline. The index
   * says so, and `chat.missed` goes out once per waiting period (`deadline` names it), however
   * often the lobby's alarm asks after a failure. */
  async missed(chatId: string, deadline: number, at: number): Promise<void> {
    if (this.chat())
      this.transaction(() => {
        const seen = this.sql.exec<{ deadline: number }>("SELECT deadline FROM missed").toArray()[0]?.deadline;
        if (seen === deadline) return;
        this.sql.exec(
          "INSERT INTO missed (singleton, deadline) VALUES (1, ?) ON CONFLICT (singleton) DO UPDATE SET deadline = excluded.deadline",
          deadline,
        );
        this.publish({ type: "chat.missed", at });
      });
    await recordChatMissed(this.env.DB, chatId, at);
  }

  /** Closes an operator's sockets in this chat at once, whether or not they said hello: all of
   * them when the operator was deactivated or their password reset, one session's when they
   * signed out of it. They stay a participant (an admin may reactivate them); their token no
   * longer opens a socket. */
  async kick(operatorId: string, why: "deactivated" | "session_ended", sessionId?: string): Promise<void> {
    const standing = standingAfter(why);
    for (const socket of this.ctx.getWebSockets(sessionId ? sessionTag(sessionId) : operatorId)) {
      const holder = this.holderOf(socket);
      if (holder.kind === "operator" && holder.id === operatorId) refuseSocket(socket, standing);
    }
  }

  // ---- Files --------------------------------------------------------------------------------------

  /** Asked before an upload's bytes are read: may `who` send a file here now, and is this `cid`
   * a retry of one already stored? The visitor of the chat and its current operators may. */
  async prepareFile(who: Participant, cid: string): Promise<FilePreparation> {
    const chat = this.chat();
    if (!chat) return { ok: false, code: "not_found" };
    if (!this.maySendFile(chat, who)) return { ok: false, code: "forbidden" };
    const existing = this.log.byCid(who.id, cid);
    if (existing) return existing.kind === "file" ? { ok: true, existing } : { ok: false, code: "conflict" };
    if (chat.status === "closed") return { ok: false, code: "chat_closed" };
    return { ok: true, existing: null };
  }

  /** Records a stored file as the next message and sends it to everyone in the chat, the
   * sender's own sockets included (the upload was not made over them). A cid stored already
   * returns that message, so a retried upload never appears twice. */
  async recordFile(who: Participant, cid: string, file: FileAttachment): Promise<FileRecordResult> {
    const chat = this.chat();
    if (!chat) return { ok: false, code: "not_found" };
    if (!this.maySendFile(chat, who)) return { ok: false, code: "forbidden" };
    const existing = this.log.byCid(who.id, cid);
    if (existing)
      return existing.kind === "file"
        ? { ok: true, message: existing, created: false }
        : { ok: false, code: "conflict" };
    if (chat.status === "closed") return { ok: false, code: "chat_closed" };
    const message = this.log.append({ cid, kind: "file", author: who, text: file.name, at: Date.now(), file })!;
    this.broadcast({ type: "msg", message });
    await both(this.answerByEmailLater(who), this.clockAfter(chat, who, message.at));
    return { ok: true, message, created: true };
  }

  private maySendFile(chat: ChatRow, who: Participant): boolean {
    return who.kind === "visitor" ? who.id === chat.visitor_id : this.isCurrentParticipant(who.id);
  }

  /** A page of the log as `audience` may read it: the Worker says which from the caller's token. */
  async history(query: { after?: number; before?: number; limit?: number }, audience: Audience): Promise<HistoryPage> {
    const limit = Math.min(query.limit ?? 50, MAX_HISTORY_PAGE);
    // One more than asked tells whether there is more beyond the page.
    if (query.before !== undefined) {
      const messages = this.log.before(query.before, limit + 1, audience);
      return { messages: messages.slice(-limit), lastSeq: this.log.lastSeq(), hasMore: messages.length > limit };
    }
    const messages = this.log.after(query.after ?? 0, limit + 1, audience);
    return { messages: messages.slice(0, limit), lastSeq: this.log.lastSeq(), hasMore: messages.length > limit };
  }

  // ---- Transcripts by email ----------------------------------------------------------------------

  /** Takes one of the chat's transcript slots (transcript-slots.ts) and returns what the email
   * shows. A visitor may ask only once an operator has written in the chat: before that the
   * email would carry nothing but the visitor's own words, and the form would be a way to make
   * the account's address send anyone anything. */
  async takeTranscript(by: ParticipantKind): Promise<TranscriptTake> {
    const chat = this.chat();
    if (!chat) return { ok: false, code: "not_found" };
    if (by === "visitor" && !this.log.operatorWroteAfter(0)) {
      return { ok: false, code: "no_operator_yet" };
    }
    const slot = takeTranscriptSlot(this.sql, Date.now());
    if (!slot.ok) return slot;
    return { ...slot, source: this.transcriptSource(chat) };
  }

  /** What a transcript email shows: the newest MAX_TRANSCRIPT_MESSAGES of the log as the visitor
   * reads it (whoever asks, a transcript is the visitor's conversation: no private notes). */
  private transcriptSource(chat: ChatRow): TranscriptSource {
    const times = this.sql
      .exec<{ created_at: number; closed_at: number | null }>("SELECT created_at, closed_at FROM chat")
      .one();
    const messages = this.log.before(null, MAX_TRANSCRIPT_MESSAGES, "visitor");
    return {
      chatId: chat.chat_id,
      status: chat.status,
      startedAt: times.created_at,
      closedAt: times.closed_at,
      visitorName: this.visitor(chat).name,
      messages,
      omitted: this.log.count("visitor") - messages.length,
    };
  }

  // ---- Answers by email (answer-mail.ts) -------------------------------------------------------

  /** After an operator wrote: if the visitor can only be reached by email, their answer is
   * mailed once the operator has had a moment to finish (one alarm for a burst of lines). */
  private answerByEmailLater(who: Participant): Promise<void> | undefined {
    if (who.kind !== "operator" || this.visitorIsHere()) return undefined;
    const vars = this.env as Env & { ANSWER_MAIL_DELAY_SECONDS?: string };
    const due = Date.now() + positiveNumber(vars.ANSWER_MAIL_DELAY_SECONDS, DEFAULT_ANSWER_MAIL_DELAY_S) * 1000;
    return answerMailState(this.sql) && markAnswerMailDue(this.sql, due) ? this.alarmBy(due) : undefined;
  }

  /** One alarm for every timed job: closing sockets whose token has ended, the pending answer
   * mail, the unanswered clock, resending events, the chat's deletion under retention. It is set
   * for the earliest of them, and each run sets it again for what is left. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    for (const socket of this.ctx.getWebSockets()) {
      if (sessionExpired(this.holderOf(socket).session, now)) refuseSocket(socket, expiredStanding());
    }
    const due = answerMailState(this.sql)?.due_at ?? null;
    if (due !== null && due <= now) await this.mailAnswers();
    const unansweredDue = this.unanswered.dueAt();
    if (unansweredDue !== null && unansweredDue <= now) await this.passOnUnanswered();
    const eventsDue = await this.sendEvents();
    if ((this.retentionDue() ?? Infinity) <= now && (await this.applyRetention()) === "erased") return;
    const next = [
      due !== null && due > now ? due : null,
      this.unanswered.dueAt(),
      eventsDue,
      this.retentionDue(),
      ...this.ctx.getWebSockets().map((s) => this.holderOf(s).session?.expiresAt ?? null),
    ]
      .filter((at): at is number => at !== null && at > now)
      .sort((a, b) => a - b)[0];
    if (next !== undefined) await this.ctx.storage.setAlarm(next);
  }

  /** After a message of `who` in a chat under way: the visitor's starts the clock to an answer
   * (in departments that reassign), an operator's stops it and takes back an offer to a colleague
   * made for this silence. */
  private clockAfter(chat: ChatRow, who: Participant, at: number): Promise<unknown> | undefined {
    if (chat.status !== "active") return undefined;
    if (who.kind === "visitor") {
      const due = this.unanswered.visitorWrote(at);
      return due === undefined ? undefined : this.alarmBy(due);
    }
    if (this.unanswered.answered())
      return lobbyOf(this.env, chat.account_id).dequeue(chat.chat_id, { id: who.id, name: who.name });
    return undefined;
  }

  /** The visitor got no answer in time: the chat is offered to another operator of its department
   * (the lobby rings for someone other than those in it, or shows it to everyone), who joins with
   * the whole history. Those in the chat stay in it. */
  private async passOnUnanswered(): Promise<void> {
    const chat = this.chat();
    if (!chat || chat.status !== "active") return void this.unanswered.answered();
    this.unanswered.firing();
    const operatorIds = this.currentOperatorIds();
    await lobbyOf(this.env, chat.account_id).enqueue(
      {
        chatId: chat.chat_id,
        departmentId: chat.department_id,
        visitorName: this.visitor(chat).name,
        since: Date.now(),
        unanswered: true,
      },
      chat.account_id,
      operatorIds,
    );
  }

  /** Records an event of this chat, in the current transaction, for the EVENTS queue. */
  private publish(event: Without<OtherChatEvent, "accountId" | "chatId">): void {
    const chat = this.chat()!;
    this.events?.add({ ...event, accountId: chat.account_id, chatId: chat.chat_id } as OtherChatEvent);
  }

  /** From the alarm: sends what the outbox holds. When the queue refuses, returns when to try again. */
  private async sendEvents(): Promise<number | null> {
    if (!this.events?.pending()) return null;
    try {
      await this.events.flush();
      return null;
    } catch {
      return Date.now() + EVENTS_RETRY_MS;
    }
  }

  /** Sets the alarm for `at` unless it is set for earlier already. */
  private async alarmBy(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || at < current) await this.ctx.storage.setAlarm(at);
  }

  private async mailAnswers(): Promise<void> {
    const state = answerMailState(this.sql);
    const chat = this.chat();
    if (!state || !chat) return;
    const last = this.log.lastSeq();
    // Back in the widget, the visitor has read the answers there.
    if (this.visitorIsHere() || !this.log.operatorWroteAfter(state.mailed_seq))
      return markAnswersMailed(this.sql, last);
    const settings = await readSettings(this.env.DB, chat.account_id);
    if (!settings) return markAnswersMailed(this.sql, last);
    const email = await composeTranscript(this.env, {
      source: this.transcriptSource(chat),
      accountId: chat.account_id,
      settings,
      to: state.email,
      origin: state.origin,
      acceptLanguage: state.accept_language,
      purpose: "answer",
    });
    // A failure throws: the runtime runs the alarm again (with backoff), and the answers stay due.
    await sendEmail(this.env, email);
    markAnswersMailed(this.sql, last);
  }

  private visitorIsHere(): boolean {
    return this.ctx.getWebSockets("visitor").some((ws) => this.holderOf(ws).ready);
  }

  /** The email could not be sent: the slot taken for it is free again. */
  async releaseTranscript(slot: number): Promise<void> {
    releaseTranscriptSlot(this.sql, slot);
  }

  /** A reply to a transcript, appended as the visitor's message. The same email (same `cid`,
   * from its Message-ID) is stored once however often it is delivered. If nobody could read it
   * (the chat has ended, or every operator has left), the chat reopens: the operators still
   * listed leave, a `reopen` message says so, and it waits in its department's queue again, as
   * a new chat would, so whoever is online picks it up. */
  async appendEmailReply(reply: { cid: string; text: string; visitorEmail: string | null }): Promise<EmailReplyResult> {
    const chat = this.chat();
    if (!chat) return { ok: false, code: "not_found" };
    const visitor = this.visitor(chat);
    const known = this.log.byCid(visitor.id, reply.cid);
    let result: EmailReplyResult;
    if (known) result = { ok: true, seq: known.seq, duplicate: true, reopened: false };
    else {
      const now = Date.now();
      const nobodyReads =
        chat.status === "closed" ||
        (chat.status === "active" &&
          !this.sql.exec("SELECT 1 FROM participants WHERE kind = 'operator' AND left_at IS NULL").toArray().length);
      const message = this.transaction(() => {
        if (nobodyReads) {
          // Whoever was in the chat left it: a socket of theirs still open must not take the
          // reopened chat back (its hello would join it) nor read on.
          for (const socket of this.ctx.getWebSockets("operator"))
            closeQuietly(socket, 1000, "the chat was reopened for the queue");
          this.sql.exec("UPDATE participants SET left_at = ? WHERE kind = 'operator' AND left_at IS NULL", now);
          this.sql.exec("UPDATE chat SET status = 'waiting', closed_at = NULL");
          this.chatRow = undefined;
          this.appendSystem(
            visitor,
            "reopen",
            now,
            `${visitor.name} wrote again by email; the chat is waiting for an operator`,
          );
        }
        return this.log.append({
          cid: reply.cid,
          kind: "text",
          author: visitor,
          text: reply.text,
          at: now,
          via: "email",
        })!;
      });
      const seq = message.seq;
      // The visitor writes by email now: operators' answers go back the same way.
      if (reply.visitorEmail)
        rememberAnswerAddress(this.sql, { email: reply.visitorEmail, acceptLanguage: null, origin: null }, seq);
      this.broadcast({ type: "msg", message });
      result = { ok: true, seq, duplicate: false, reopened: nobodyReads };
    }
    // The console offers the address the visitor wrote from when sending the next transcript.
    if (reply.visitorEmail) await recordVisitorEmailIfMissing(this.env.DB, chat.chat_id, reply.visitorEmail);
    // A waiting chat belongs in the index as waiting and in its queue. Both steps are idempotent
    // and run again on a redelivery, so a failure here (thrown, so Email Routing retries the
    // delivery) is made good by the next attempt.
    const current = this.chat()!;
    if (current.status === "waiting") {
      const since = Date.now();
      await recordChatWaitingAgain(this.env.DB, current.chat_id, since);
      if (result.ok && result.reopened) await this.reportStaff();
      await lobbyOf(this.env, current.account_id).enqueue(
        {
          chatId: current.chat_id,
          departmentId: current.department_id,
          visitorName: visitor.name,
          since,
          ...(reply.visitorEmail ? { visitorEmail: reply.visitorEmail } : {}),
        },
        current.account_id,
      );
    }
    return result;
  }

  // ---- WebSocket upgrade (from the Worker, already authenticated) ---------------------------

  override async fetch(request: Request): Promise<Response> {
    const chat = this.chat();
    if (!chat) return problemResponse(404, "not_found", "There is no such chat.");
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket")
      return problemResponse(426, "upgrade_required", "Connect with a WebSocket.");
    const who = JSON.parse(request.headers.get(PARTICIPANT_HEADER) ?? "null") as ConnectingParticipant | null;
    // The Worker checked these already; checking again here keeps the room safe on its own.
    if (!who || who.accountId !== chat.account_id || (who.kind === "visitor" && who.id !== chat.visitor_id)) {
      return problemResponse(403, "forbidden", "This participant may not join this chat.");
    }
    // Tagged by session too, so that signing out closes this session's sockets and no other's.
    const sessionId = "id" in who.session ? who.session.id : null;
    const { response } = acceptTagged<SocketAttachment>(
      this.ctx,
      [who.kind, who.id, ...(sessionId ? [sessionTag(sessionId)] : [])],
      { ...who, ready: false, ...(request.headers.get(SHORT_ACKS_HEADER) === "1" ? { shortAcks: true as const } : {}) },
    );
    // The room closes the socket when its token ends, whether or not it says anything by then.
    await this.alarmBy(who.session.expiresAt);
    return response;
  }

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const me = this.holderOf(ws);
    if (sessionExpired(me.session)) return refuseSocket(ws, expiredStanding());
    const parsed = parseClientFrame(raw);
    if (!parsed.ok) return this.sendError(ws, parsed.code, parsed.message, parsed.cid);
    const frame = parsed.frame;
    if (!frameSenders[frame.type].includes(me.kind)) {
      return this.sendError(ws, "forbidden", `A ${me.kind} may not send "${frame.type}" frames.`);
    }
    if (frame.type !== "hello" && !me.ready) {
      return this.sendError(
        ws,
        "hello_required",
        'Send {"type":"hello","since":N} first.',
        "cid" in frame ? frame.cid : undefined,
      );
    }
    // Each hello replays the log and reads D1, and read receipts are broadcast: a socket may send
    // only so many (typing has its own interval).
    if (frame.type === "hello" || frame.type === "read") {
      const retryAfterMs = this.frameBucket(ws, frame.type).take();
      if (retryAfterMs > 0)
        return this.send(ws, {
          type: "error",
          code: "rate_limited",
          message: `Too many "${frame.type}" frames; try again shortly.`,
          retryAfterMs,
        });
    }
    // The holder may have lost the right since the socket opened (deactivated, password reset,
    // signed out): checked again each time they (re)start reading the chat.
    if (frame.type === "hello" && me.kind === "operator") {
      const standing = await operatorStanding(this.env.DB, me.accountId, me.id, me.session as OperatorSession);
      if (!standing.ok) return refuseSocket(ws, standing);
      if (await forgetDeletedTags(this.sql, this.env.DB))
        this.broadcast({ type: "tags", tagIds: readTagIds(this.sql) }, ws, (them) => them.kind === "operator");
    }
    if (frame.type === "message" && me.kind === "visitor") {
      const retryAfterMs = this.visitorBucket(me.id).take();
      if (retryAfterMs > 0)
        return this.send(ws, {
          type: "error",
          code: "rate_limited",
          message: "Too many messages at once; this one was not stored. Send it again shortly.",
          cid: frame.cid,
          retryAfterMs,
        });
    }
    const after = this.handle(ws, me, frame);
    // Index updates in D1 run after the room's own state is settled, and never block the chat.
    if (after) await after.catch((error: unknown) => console.error("chat index update failed", error));
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    closeQuietly(ws, code, reason);
  }

  override async webSocketError(): Promise<void> {
    // The socket is gone; nothing in the log depends on it.
  }

  // ---- Frame handlers ------------------------------------------------------------------------

  /** Applies one valid frame. Returns the D1 index update to run afterwards, if any. */
  private handle(ws: WebSocket, me: SocketAttachment, frame: ClientFrame): Promise<unknown> | undefined {
    const chat = this.chat()!;
    const who: Participant = { kind: me.kind, id: me.id, name: me.name };
    switch (frame.type) {
      case "hello":
        return this.hello(ws, me, who, chat, frame.since);
      case "message": {
        const stored =
          chat.status === "closed"
            ? null
            : this.log.append({ cid: frame.cid, kind: "text", author: who, text: frame.text, at: Date.now() });
        if (!stored) {
          // A resend of a message we already have gets the original ack and stores nothing, even
          // after the chat closed, since that message did get in.
          const original = this.log.byCid(who.id, frame.cid);
          if (original) return this.acknowledgeWhole(ws, original);
          return this.sendError(ws, "chat_closed", "This chat has ended.", frame.cid);
        }
        this.acknowledge(ws, me, stored, true);
        // The waiting card shows what the visitor asked, so operators can tell chats apart.
        if (who.kind === "visitor" && chat.status === "waiting" && this.log.visitorTextCount() === 1)
          return lobbyOf(this.env, chat.account_id).waitingPreview(chat.chat_id, frame.text);
        return both(this.answerByEmailLater(who), this.clockAfter(chat, who, stored.at));
      }
      case "note":
        return this.note(ws, me, who, frame);
      case "typing": {
        if (chat.status === "closed") return;
        const now = Date.now();
        if (frame.active && now - (this.lastTypingAt.get(ws) ?? 0) < TYPING_MIN_INTERVAL_MS) return;
        this.lastTypingAt.set(ws, now);
        // Only the visitor's draft is previewed, and only to operators; operators' drafts stay private.
        const notice: ServerFrame = { type: "typing", from: who, active: frame.active };
        if (who.kind === "visitor" && frame.draft !== undefined) {
          this.broadcast({ ...notice, draft: frame.draft }, ws, (other) => other.kind === "operator");
          return this.broadcast(notice, ws, (other) => other.kind === "visitor" && other.id !== who.id);
        }
        return this.broadcast(notice, ws);
      }
      case "read": {
        if (frame.seq > this.log.lastSeq()) return this.sendError(ws, "bad_seq", "That seq does not exist yet.");
        this.sql.exec("UPDATE participants SET last_read_seq = max(last_read_seq, ?) WHERE id = ?", frame.seq, who.id);
        return this.broadcast({ type: "read", from: who, seq: frame.seq }, ws);
      }
      case "close": {
        if (chat.status === "closed") return this.sendError(ws, "chat_closed", "This chat has already ended.");
        const now = Date.now();
        this.setStatus("closed", now);
        this.appendSystem(who, "close", now);
        this.publish({ type: "chat.closed", at: now, by: who, messages: this.log.conversationCount() });
        return Promise.all([
          recordChatClosed(this.env.DB, chat.chat_id, now),
          lobbyOf(this.env, chat.account_id).dequeue(chat.chat_id, null),
          this.reportStaff(),
          this.applyRetention(),
        ]);
      }
      case "rate": {
        // Allowed whatever the status (usually after the close); rating again replaces it.
        const rated: ChatRating = { rating: frame.rating, comment: frame.comment?.trim() || null, at: Date.now() };
        this.sql.exec(
          "INSERT INTO rating (singleton, rating, comment, at) VALUES (1, ?, ?, ?) ON CONFLICT (singleton) DO UPDATE SET rating = excluded.rating, comment = excluded.comment, at = excluded.at",
          rated.rating,
          rated.comment,
          rated.at,
        );
        this.publish({ type: "chat.rated", at: rated.at, rating: rated.rating, comment: rated.comment });
        this.broadcast({ type: "rating", ...rated });
        return recordChatRated(this.env.DB, chat.chat_id, rated.rating, rated.comment, rated.at);
      }
      case "leave": {
        const now = Date.now();
        this.sql.exec("UPDATE participants SET left_at = ? WHERE id = ? AND left_at IS NULL", now, who.id);
        this.appendSystem(who, "leave", now);
        for (const socket of this.ctx.getWebSockets(who.id)) closeQuietly(socket, 1000, "left the chat");
        return Promise.all([recordOperatorLeft(this.env.DB, chat.chat_id, who.id, now), this.reportStaff()]);
      }
    }
  }

  private hello(
    ws: WebSocket,
    me: SocketAttachment,
    who: Participant,
    chat: ChatRow,
    since: number,
  ): Promise<unknown> | undefined {
    const lastSeq = this.log.lastSeq();
    if (since > lastSeq)
      return this.sendError(ws, "bad_seq", `since is ${since} but the chat's last seq is ${lastSeq}.`);
    const followUp = who.kind === "operator" ? this.joinOperator(chat, who, "joined") : undefined;
    const rating = this.sql.exec<ChatRating>("SELECT rating, comment, at FROM rating").toArray()[0];
    this.send(ws, {
      type: "welcome",
      chat: { id: chat.chat_id, status: this.chat()!.status, ...(rating ? { rating: { ...rating } } : {}) },
      you: who,
      participants: this.participantStates(),
      lastSeq: this.log.lastSeq(),
      ...(who.kind === "operator" ? { tagIds: readTagIds(this.sql) } : {}),
    });
    // Replay in pages; the object handles one event at a time, so nothing can slip in between.
    for (let cursor = since; ;) {
      const page = this.log.after(cursor, MAX_HISTORY_PAGE, me.kind === "visitor" ? "visitor" : "staff");
      for (const message of page) this.send(ws, { type: "msg", message });
      if (page.length < MAX_HISTORY_PAGE) break;
      cursor = page[page.length - 1]!.seq;
    }
    this.setHolder(ws, { ...me, ready: true });
    return followUp;
  }

  /** An operator's private note: the next message of the log, acked to its sender and sent live to
   * the chat's other operators only. Allowed after the close too (a note for whoever follows the
   * chat up). It answers nobody: no answer mail, and the visitor's unanswered clock runs on. */
  private note(ws: WebSocket, me: SocketAttachment, who: Participant, frame: { cid: string; text: string }): undefined {
    const stored = this.log.append({ cid: frame.cid, kind: "note", author: who, text: frame.text, at: Date.now() });
    // Null: a resend of a stored cid, answered with the original ack.
    if (!stored) return this.acknowledgeWhole(ws, this.log.byCid(who.id, frame.cid)!);
    return this.acknowledge(ws, me, stored, (other) => other.kind === "operator");
  }

  /** Records an operator's arrival (a system message; a waiting chat turns active). Returns the
   * follow-up outside the room: the D1 index and, for a chat that was waiting and not `claimed`
   * from the queue by the lobby already, taking it from the queue. */
  private joinOperator(chat: ChatRow, who: Participant, how: "claimed" | "joined"): Promise<unknown> | undefined {
    if (chat.status === "closed" || this.isCurrentParticipant(who.id)) return undefined;
    const now = Date.now();
    this.admitOperator(chat, who, now);
    return Promise.all([
      recordOperatorJoined(this.env.DB, chat.chat_id, who.id, now),
      chat.status === "waiting" && how === "joined"
        ? lobbyOf(this.env, chat.account_id).dequeue(chat.chat_id, { id: who.id, name: who.name })
        : undefined,
      this.reportStaff(),
    ]);
  }

  /** The operators in the chat now (joined and not left). */
  private currentOperatorIds(): string[] {
    return this.sql
      .exec<{ id: string }>("SELECT id FROM participants WHERE kind = 'operator' AND left_at IS NULL")
      .toArray()
      .map((row) => row.id);
  }

  /** Tells the lobby which operators are in the chat now (none once it ended), so routing counts
   * their chats against their capacity. The log's last seq orders the reports. */
  private reportStaff(): Promise<void> {
    const chat = this.chat();
    if (!chat) return Promise.resolve();
    const operatorIds = chat.status === "closed" ? [] : this.currentOperatorIds();
    return lobbyOf(this.env, chat.account_id).chatStaffed(chat.chat_id, operatorIds, this.log.lastSeq());
  }

  // ---- Helpers -------------------------------------------------------------------------------

  /** Makes `who` a current operator of the chat (again, if they had left), says so in the log,
   * and turns a waiting chat active. What follows outside the room is the caller's. */
  private admitOperator(chat: ChatRow, who: Participant, now: number): void {
    this.sql.exec(
      "INSERT INTO participants (id, kind, name, joined_at) VALUES (?, 'operator', ?, ?) ON CONFLICT (id) DO UPDATE SET left_at = NULL, name = excluded.name",
      who.id,
      who.name,
      now,
    );
    if (chat.status === "waiting") this.setStatus("active");
    this.appendSystem(who, "join", now);
  }

  // ---- Privacy: export, erasure, retention (docs/privacy.md) ---------------------------------

  /** The chat as its visitor may have it (no notes), for a privacy export; null: an empty room. */
  async exportChat(): Promise<ChatExport | null> {
    if (!this.chat()) return null;
    const rating = this.sql.exec<ChatRating>("SELECT rating, comment, at FROM rating").toArray()[0] ?? null;
    return { messages: this.log.after(0, Number.MAX_SAFE_INTEGER, "visitor"), rating };
  }

  /** Deletes the chat everywhere: its files, its rows in D1 (index, search, reports' facts,
   * webhook log), its place in the queue, its sockets, and last its own storage, so that a failure
   * halfway leaves the room to erase again. Null: nothing here (already erased). */
  async erase(): Promise<ErasedChat | null> {
    const chat = this.chat();
    if (!chat) return null;
    const { chat_id: chatId, account_id: accountId } = chat;
    const messages = this.log.count("staff");
    for (const socket of this.ctx.getWebSockets()) closeQuietly(socket, 1000, "This chat was deleted.");
    const files = await deleteChatFiles(this.env.FILES, accountId, chatId);
    await eraseChatRows(this.env.DB, accountId, chatId, files.bytes);
    await lobbyOf(this.env, accountId).dequeue(chatId, null);
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    // An empty room from here on, as a new one would be.
    this.sql.exec(SCHEMA);
    this.chatRow = undefined;
    this.log = this.openLog();
    this.events?.forget();
    this.unanswered.forget();
    return { chatId, messages, files: files.files, bytes: files.bytes };
  }

  /** Applies the account's retention as it is set now: a closed chat past it is erased, one not
   * yet past it keeps its deletion time (and the alarm for it). Called at the close, by the alarm
   * and by the sweep after the setting is lowered. */
  async applyRetention(): Promise<"erased" | "kept"> {
    const chat = this.chat();
    const closedAt =
      chat?.status === "closed"
        ? this.sql.exec<{ closed_at: number | null }>("SELECT closed_at FROM chat").one().closed_at
        : null;
    const due = chat && closedAt !== null ? await retentionDueAt(this.env.DB, chat.account_id, closedAt) : null;
    if (due === null) {
      this.sql.exec("DELETE FROM retention");
      return "kept";
    }
    if (due <= Date.now()) return (await this.erase()) ? "erased" : "kept";
    this.sql.exec("INSERT OR REPLACE INTO retention (singleton, due_at) VALUES (1, ?)", due);
    await this.alarmBy(due);
    return "kept";
  }

  /** The message log (its table made if need be). */
  private openLog(): ChatLog {
    return new ChatLog(
      this.sql,
      (fn) => this.ctx.storage.transactionSync(fn),
      // The log is the outbox of its messages' events: a new one only needs sending.
      (message) => this.events?.appended(message),
    );
  }

  private retentionDue(): number | null {
    return this.sql.exec<{ due_at: number }>("SELECT due_at FROM retention").toArray()[0]?.due_at ?? null;
  }

  /** The chat's row, read once per wake-up: every change to it goes through setStatus. */
  private chat(): ChatRow | undefined {
    this.chatRow ??= this.sql
      .exec<ChatRow>("SELECT chat_id, account_id, department_id, visitor_id, status FROM chat")
      .toArray()[0];
    return this.chatRow;
  }

  /** A transaction of the room's storage. If it rolls back, what the room and its log keep in
   * memory of the rows it wrote (the chat row, the last seq, the stored cids) is read again. */
  private transaction<T>(fn: () => T): T {
    try {
      return this.ctx.storage.transactionSync(fn);
    } catch (error) {
      this.log.forget();
      this.events?.forget();
      this.unanswered.forget();
      this.chatRow = undefined;
      throw error;
    }
  }

  private setStatus(status: ChatStatus, closedAt?: number): void {
    if (status === "closed") this.sql.exec("UPDATE chat SET status = 'closed', closed_at = ?", closedAt ?? Date.now());
    else this.sql.exec("UPDATE chat SET status = ?", status);
    this.chatRow = undefined;
  }

  private frameBucket(ws: WebSocket, type: "hello" | "read"): TokenBucket {
    let buckets = this.frameBuckets.get(ws);
    if (!buckets) this.frameBuckets.set(ws, (buckets = {}));
    return (buckets[type] ??= new TokenBucket(...FRAME_LIMITS[type]));
  }

  private visitorBucket(visitorId: string): TokenBucket {
    let bucket = this.visitorBuckets.get(visitorId);
    if (!bucket) {
      // Optional vars, unset in wrangler.toml: bench/wrangler.bench.toml raises them, since the
      // bench's senders go as fast as acks come back.
      const vars = this.env as Env & { VISITOR_MESSAGE_BURST?: string; VISITOR_MESSAGES_PER_SECOND?: string };
      bucket = new TokenBucket(
        positiveNumber(vars.VISITOR_MESSAGE_BURST, VISITOR_MESSAGE_BURST),
        positiveNumber(vars.VISITOR_MESSAGES_PER_SECOND, VISITOR_MESSAGES_PER_SECOND),
      );
      this.visitorBuckets.set(visitorId, bucket);
    }
    return bucket;
  }

  private visitor(chat: ChatRow): Participant {
    const { name } = this.sql
      .exec<{ name: string }>("SELECT name FROM participants WHERE id = ?", chat.visitor_id)
      .one();
    return { kind: "visitor", id: chat.visitor_id, name };
  }

  private isCurrentParticipant(id: string): boolean {
    return this.sql.exec("SELECT 1 FROM participants WHERE id = ? AND left_at IS NULL", id).toArray().length > 0;
  }

  private participantStates(): ParticipantState[] {
    const online = new Set(this.ctx.getWebSockets().map((ws) => this.holderOf(ws).id));
    return this.sql
      .exec<{ id: string; kind: Participant["kind"]; name: string; last_read_seq: number }>(
        "SELECT id, kind, name, last_read_seq FROM participants WHERE left_at IS NULL ORDER BY joined_at",
      )
      .toArray()
      .map((p) => ({ kind: p.kind, id: p.id, name: p.name, lastReadSeq: p.last_read_seq, online: online.has(p.id) }));
  }

  /** Stores a system message (join, leave, close…) and sends it to everyone, the author included. */
  private appendSystem(author: Participant, event: SystemEvent, at: number, custom?: string): void {
    const text =
      custom ??
      {
        join: `${author.name} joined the chat`,
        leave: `${author.name} left the chat`,
        close: `${author.name} ended the chat`,
        transfer: `${author.name} transferred the chat`,
        reopen: `${author.name} reopened the chat`,
      }[event];
    this.broadcast({ type: "msg", message: this.log.append({ cid: null, kind: "system", event, author, text, at })! });
  }

  /** Answers a message just stored with its ack, and sends it to everyone else (`to`: only those
   * it passes). The ack is short for a parley.v2 socket: its client has the rest. The message is
   * serialised once for both frames (and its event: messageJson). */
  private acknowledge(
    ws: WebSocket,
    sender: SocketAttachment,
    message: ChatMessage,
    to: true | ((participant: SocketAttachment) => boolean),
  ): undefined {
    // (A sent message always has its sender's cid.)
    if (sender.shortAcks) this.send(ws, { type: "ack", cid: message.cid!, seq: message.seq, at: message.at });
    else this.acknowledgeWhole(ws, message);
    this.broadcastData(`{"type":"msg","message":${messageJson(message)}}`, ws, to === true ? undefined : to);
    return undefined;
  }

  /** Answers with the whole stored message (a MessageAckFrame): a resend of a cid already stored
   * always, since the stored message counts whatever the resend said, and any ack on parley.v1. */
  private acknowledgeWhole(ws: WebSocket, message: ChatMessage): undefined {
    // `{"type":"ack",` + the message's fields, from its one serialisation (messageJson).
    sendQuietly(ws, `{"type":"ack",${messageJson(message).slice(1)}`);
    return undefined;
  }

  /** Sends to every socket that has said hello (so replay and live never interleave), but
   * `except`, and passes `to` when given. */
  private broadcast(
    frame: ServerFrame,
    except?: WebSocket,
    to?: (participant: SocketAttachment) => boolean,
  ): undefined {
    this.broadcastData(JSON.stringify(frame), except, to);
    return undefined;
  }

  /** The same, for a frame serialised already. */
  private broadcastData(data: string, except?: WebSocket, to?: (participant: SocketAttachment) => boolean): void {
    for (const socket of this.ctx.getWebSockets()) {
      if (socket === except) continue;
      const them = this.holderOf(socket);
      if (them.ready && (!to || to(them))) sendQuietly(socket, data);
    }
  }

  /** The attachment of one of this room's sockets. */
  private holderOf(ws: WebSocket): SocketAttachment {
    let holder = this.holders.get(ws);
    if (!holder) this.holders.set(ws, (holder = attachmentOf<SocketAttachment>(ws)));
    return holder;
  }

  private setHolder(ws: WebSocket, holder: SocketAttachment): void {
    attach<SocketAttachment>(ws, holder);
    this.holders.set(ws, holder);
  }

  private send(ws: WebSocket, frame: ServerFrame): undefined {
    sendQuietly(ws, JSON.stringify(frame));
    return undefined;
  }

  private sendError(ws: WebSocket, code: ErrorCode, message: string, cid?: string): undefined {
    return this.send(ws, { type: "error", code, message, ...(cid !== undefined ? { cid } : {}) });
  }
}
