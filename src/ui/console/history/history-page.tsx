// The History page: the account's past chats, newest first, or, with words to search for, the
// messages, notes, file names and visitors that match (shown with the words marked), under the
// same filters. A result opens the chat read-only (past-chat-view.tsx). Loaded on first use.
// What was searched and found stays while a chat is open, so "Back" returns to the same list.
import { createSignal, For, Match, onMount, Show, Switch } from "solid-js";
import type { HistoryChat, SearchHit } from "../../../shared/history.ts";
import type { DepartmentSummary } from "../../../shared/protocol.ts";
import { api, ApiError, type HistoryQuery } from "../api.ts";
import { fullTime } from "../format.ts";
import { hrefOf, navigate } from "../control-panel/route.ts";
import { PastChatView } from "./past-chat-view.tsx";
import { ChatFacts, NamedChoice, type Named } from "./chat-facts.tsx";

type Results =
  | { kind: "chats"; items: HistoryChat[]; nextCursor: string | null }
  | { kind: "hits"; items: SearchHit[]; nextCursor: string | null };

// Module state: it outlives the page's component, which is drawn again after a chat is opened.
const [query, setQuery] = createSignal<HistoryQuery>({});
const [results, setResults] = createSignal<Results | null>(null);
const [loading, setLoading] = createSignal(false);
const [problem, setProblem] = createSignal<string | null>(null);

/** A date field's day (local time) as ms since the epoch; `end`: the start of the next day. */
function dayStart(value: string, end = false): string | undefined {
  const [year, month, day] = value.split("-").map(Number);
  if (!year || !month || !day) return undefined;
  return String(new Date(year, month - 1, day + (end ? 1 : 0)).getTime());
}

async function load(next: HistoryQuery, more = false) {
  setLoading(true);
  setProblem(null);
  try {
    const before = results();
    const cursor = more ? (before?.nextCursor ?? undefined) : undefined;
    const paged = { ...next, ...(cursor ? { cursor } : {}) };
    const found: Results = next.q
      ? { kind: "hits", ...(await api.search(paged)) }
      : { kind: "chats", ...(await api.pastChats(paged)) };
    if (more && before && before.kind === found.kind)
      setResults({ ...found, items: [...before.items, ...found.items] } as Results);
    else setResults(found);
  } catch (error) {
    setProblem(error instanceof ApiError ? error.message : "The history could not be loaded.");
  } finally {
    setLoading(false);
  }
}

export default function HistoryPage(props: {
  chatId: string | null;
  seq: number | null;
  myId: string;
  departments: DepartmentSummary[];
  operators: Named[];
  tags: Named[];
}) {
  return (
    <Show
      when={props.chatId}
      keyed
      fallback={<HistoryList departments={props.departments} operators={props.operators} tags={props.tags} />}
    >
      {(chatId) => (
        <PastChatView
          chatId={chatId}
          seq={props.seq}
          myId={props.myId}
          departments={props.departments}
          operators={props.operators}
          tags={props.tags}
        />
      )}
    </Show>
  );
}

function HistoryList(props: { departments: DepartmentSummary[]; operators: Named[]; tags: Named[] }) {
  onMount(() => {
    if (!results()) void load(query());
  });
  function submit(event: SubmitEvent) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const next: HistoryQuery = {
      q: text("q"),
      from: dayStart(text("from")),
      to: dayStart(text("to"), true),
      departmentId: text("departmentId"),
      operatorId: text("operatorId"),
      tagId: text("tagId"),
      rating: text("rating"),
    };
    setQuery(next);
    void load(next);
  }
  const day = (ms: string | undefined, end = false) =>
    ms ? new Date(Number(ms) - (end ? 1 : 0)).toLocaleDateString("en-CA") : "";
  const choice = (name: string, label: string, options: Named[], chosen: string | undefined) => (
    <NamedChoice name={name} label={label} options={options} chosen={chosen} />
  );
  return (
    <section class="history-page" aria-labelledby="history-title">
      <div class="history-top">
        <h1 id="history-title">History</h1>
        <BackToChats />
      </div>
      <form role="search" class="history-search" onSubmit={submit} data-testid="history-search">
        <label class="history-query">
          Search chats
          <input
            type="search"
            name="q"
            value={query().q ?? ""}
            maxLength={200}
            placeholder="Words from messages, notes, file names, a visitor's name or email; refun* for words that start so"
            data-testid="history-q"
          />
        </label>
        <fieldset class="history-filters">
          <legend>Filters</legend>
          <label>
            From
            <input type="date" name="from" value={day(query().from)} />
          </label>
          <label>
            To
            <input type="date" name="to" value={day(query().to, true)} />
          </label>
          {choice("departmentId", "Department", props.departments, query().departmentId)}
          {choice("operatorId", "Operator", props.operators, query().operatorId)}
          {choice("tagId", "Tag", props.tags, query().tagId)}
          {choice(
            "rating",
            "Rating",
            [
              { id: "good", name: "Good" },
              { id: "bad", name: "Bad" },
            ],
            query().rating,
          )}
        </fieldset>
        <button type="submit" class="primary" disabled={loading()}>
          Search
        </button>
      </form>
      <Show when={problem()}>
        <p class="notice" role="alert">
          {problem()}
        </p>
      </Show>
      <p class="hint" role="status" data-testid="history-count">
        {loading() && !results() ? "Loading…" : countOf(results())}
      </p>
      <Switch>
        <Match when={results()?.kind === "chats" && (results() as Extract<Results, { kind: "chats" }>)}>
          {(found) => (
            <ol class="history-results" data-testid="history-chats">
              <For each={found().items}>
                {(chat) => (
                  <li>
                    <a href={hrefOf({ kind: "history", chatId: chat.id, seq: null })} data-testid="history-chat">
                      <span class="history-who">{chat.visitorName}</span>
                      <ChatFacts chat={chat} departments={props.departments} tags={props.tags} />
                    </a>
                  </li>
                )}
              </For>
            </ol>
          )}
        </Match>
        <Match when={results()?.kind === "hits" && (results() as Extract<Results, { kind: "hits" }>)}>
          {(found) => (
            <ol class="history-results" data-testid="search-hits">
              <For each={found().items}>{(hit) => <HitItem hit={hit} />}</For>
            </ol>
          )}
        </Match>
      </Switch>
      <Show when={results()?.nextCursor}>
        <button type="button" disabled={loading()} onClick={() => void load(query(), true)}>
          {loading() ? "Loading…" : "Show more"}
        </button>
      </Show>
    </section>
  );
}

function countOf(found: Results | null): string {
  if (!found) return "";
  const n = found.items.length;
  const more = found.nextCursor ? " so far" : "";
  if (found.kind === "chats") return n === 0 ? "No chats match." : `${n} chat${n === 1 ? "" : "s"}${more}.`;
  return n === 0 ? "Nothing matches." : `${n} match${n === 1 ? "" : "es"}${more}, newest first.`;
}

const HIT_LABELS: Record<SearchHit["kind"], string> = {
  text: "Message",
  file: "File",
  note: "Private note",
  visitor: "Visitor",
};

function HitItem(props: { hit: SearchHit }) {
  const hit = props.hit;
  return (
    <li class={`search-hit ${hit.kind}`}>
      <a
        href={hrefOf({ kind: "history", chatId: hit.chatId, seq: hit.seq || null })}
        data-testid="search-hit"
        data-chat-id={hit.chatId}
      >
        <span class="history-who">{hit.chat.visitorName}</span>
        <span class="hint">
          {HIT_LABELS[hit.kind]}
          {hit.author ? ` by ${hit.author.kind === "visitor" ? "the visitor" : hit.author.name}` : ""} ·{" "}
          <time dateTime={new Date(hit.at).toISOString()}>{fullTime(hit.at)}</time>
        </span>
        <span class="search-snippet">
          <For each={hit.snippet}>{(part) => (part.match ? <mark>{part.text}</mark> : part.text)}</For>
        </span>
      </a>
    </li>
  );
}

/** The chats go on behind History; this brings them back, as the Control Panel's does. */
export function BackToChats() {
  return (
    <button type="button" data-testid="cp-back" onClick={() => navigate({ kind: "chat" })}>
      ← Back to chats
    </button>
  );
}
