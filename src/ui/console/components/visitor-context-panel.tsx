// Beside the open chat: who the visitor is, where they are and with what browser, how long they
// have been on the site, the pages of this visit and their earlier chats (each opened read-only by
// past-chat.ts). Collapsible; the choice is remembered. Everything the visitor sent (name, page
// titles and URLs) is shown as text; only http(s) page addresses become links.
import { createResource, createSignal, For, onCleanup, Show } from "solid-js";
import { describeUserAgent } from "../../../shared/user-agent.ts";
import { api } from "../api.ts";
import { chatStatusLabels, fullTime, messageTime, waitedFor } from "../format.ts";
import { hrefOf } from "../control-panel/route.ts";
import { readText, storageKeys, writeText } from "../storage.ts";

/** How often time on site is brought up to date, and the pages fetched again while the visitor is here. */
const REFRESH_MS = 30_000;

const regionNames = new Intl.DisplayNames(undefined, { type: "region" });
function countryName(code: string): string {
  try {
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}

const isWebAddress = (url: string) => /^https?:\/\//i.test(url);

export function VisitorContextPanel(props: { chatId: string }) {
  const [open, setOpen] = createSignal(readText(storageKeys.contextPanel) !== "closed");
  const [context, { refetch }] = createResource(() => props.chatId, api.visitorContext);
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => {
    setNow(Date.now());
    if (open() && context.latest?.visit) void refetch();
  }, REFRESH_MS);
  onCleanup(() => clearInterval(timer));

  const toggle = () => {
    setOpen(!open());
    writeText(storageKeys.contextPanel, open() ? "" : "closed");
  };

  return (
    <aside
      class="context-panel"
      classList={{ collapsed: !open() }}
      aria-labelledby="context-title"
      data-testid="visitor-context"
    >
      <h3 id="context-title" class="area-title">
        <button
          type="button"
          class="context-toggle"
          aria-expanded={open()}
          aria-controls="context-body"
          data-testid="context-toggle"
          onClick={toggle}
        >
          <span aria-hidden="true">{open() ? "▸" : "◂"}</span> Visitor
        </button>
      </h3>
      <Show when={open()}>
        <div id="context-body" class="context-body">
          <Show when={context.error && !context.latest}>
            <p class="notice" role="alert">
              {context.error instanceof Error ? context.error.message : "The visitor's details could not be loaded."}{" "}
              <button type="button" onClick={() => void refetch()}>
                Try again
              </button>
            </p>
          </Show>
          <Show when={context.latest} fallback={<p class="hint">{context.loading ? "Loading…" : ""}</p>}>
            {(ctx) => (
              <>
                <dl class="context-facts">
                  <dt>Name</dt>
                  <dd data-testid="context-name">{ctx().visitor.name}</dd>
                  <dt>Email</dt>
                  <dd data-testid="context-email">
                    <Show when={ctx().visitor.email} fallback="Not given">
                      {(email) => <a href={`mailto:${email()}`}>{email()}</a>}
                    </Show>
                  </dd>
                  <dt>Country</dt>
                  <dd data-testid="context-country">
                    {ctx().visitor.country ? countryName(ctx().visitor.country!) : "Unknown"}
                  </dd>
                  <dt>Browser</dt>
                  <dd data-testid="context-browser" title={ctx().visitor.userAgent ?? undefined}>
                    {describeUserAgent(ctx().visitor.userAgent) ?? "Unknown"}
                  </dd>
                  <dt>On site</dt>
                  <dd data-testid="context-time-on-site">
                    {ctx().visit ? waitedFor(ctx().visit!.startedAt, now()) : "Not on the site now"}
                  </dd>
                </dl>
                <h4 class="context-heading">Pages of this visit</h4>
                <Show when={ctx().visit?.pages.length} fallback={<p class="hint">No pages known.</p>}>
                  <ol class="context-list" data-testid="context-pages">
                    <For each={ctx().visit!.pages}>
                      {(page) => (
                        <li data-testid="context-page">
                          <Show when={isWebAddress(page.url)} fallback={<span>{page.title || page.url}</span>}>
                            <a href={page.url} target="_blank" rel="noopener noreferrer">
                              {page.title || page.url}
                            </a>
                          </Show>
                          <span class="context-detail">{page.url}</span>
                          <span class="context-detail">{messageTime(page.at)}</span>
                        </li>
                      )}
                    </For>
                  </ol>
                </Show>
                <h4 class="context-heading">Earlier chats</h4>
                <Show when={ctx().previousChats.length} fallback={<p class="hint">None.</p>}>
                  <ul class="context-list" data-testid="context-chats">
                    <For each={ctx().previousChats}>
                      {(chat) => (
                        <li data-testid="context-chat">
                          {/* Opens read-only in History (a tab would join the chat); Back returns here. */}
                          <a
                            href={hrefOf({ kind: "history", chatId: chat.id, seq: null })}
                            title={fullTime(chat.createdAt)}
                          >
                            {messageTime(chat.createdAt)} · {chatStatusLabels[chat.status]}
                            <Show when={chat.rating}>{(rating) => ` · rated ${rating()}`}</Show>
                          </a>
                          <span class="context-detail">
                            {chat.visitorId === ctx().visitor.id ? "same browser" : "same email (not verified)"}
                          </span>
                        </li>
                      )}
                    </For>
                  </ul>
                </Show>
              </>
            )}
          </Show>
        </div>
      </Show>
    </aside>
  );
}
