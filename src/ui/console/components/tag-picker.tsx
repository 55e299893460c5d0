// A chat's tags in the console: chips with their names (in the chat's header, and smaller in its
// tab), and the header's "Tags" button, which opens the account's tags as checkboxes. Ticking one
// puts it on the chat at once, for every operator of the account to see; the visitor never sees
// tags. Names are text, never HTML.
import { createSignal, createUniqueId, For, onCleanup, Show } from "solid-js";
import { accountTags, reloadAccountTags, tagsNamed } from "../account-tags.ts";
import type { ChatConnection } from "../chat-connection.ts";

/** A tab has room for this many chips; the rest is a count. */
const TAB_CHIPS = 2;

/** The header's chips: a list, named for screen readers. */
export function TagChips(props: { tagIds: readonly string[] }) {
  return (
    <Show when={tagsNamed(props.tagIds).length > 0}>
      <ul class="tag-chips" aria-label="Tags" data-testid="tag-chips">
        <For each={tagsNamed(props.tagIds)}>
          {(tag) => (
            <li class="tag-chip" title={tag.name} data-testid="tag-chip">
              {tag.name}
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}

/** A tab's chips: inside its button, so spans; the first few, then "+N". */
export function TabTagChips(props: { tagIds: readonly string[] }) {
  const tags = () => tagsNamed(props.tagIds);
  return (
    <Show when={tags().length > 0}>
      <span class="tag-chips" data-testid="tab-tags">
        <span class="visually-hidden">, tagged </span>
        <For each={tags().slice(0, TAB_CHIPS)}>
          {(tag) => (
            <span class="tag-chip" title={tag.name} data-testid="tag-chip">
              {tag.name}
            </span>
          )}
        </For>
        <Show when={tags().length > TAB_CHIPS}>
          <span
            class="tag-chip more"
            title={tags()
              .map((tag) => tag.name)
              .join(", ")}
          >
            +{tags().length - TAB_CHIPS}
          </span>
        </Show>
      </span>
    </Show>
  );
}

export function TagPicker(props: { chat: ChatConnection }) {
  const listId = createUniqueId();
  const [open, setOpen] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  /** What the boxes show while changes are on their way; null: the chat's tags as the room says. */
  const [wanted, setWanted] = createSignal<string[] | null>(null);
  const shown = () => wanted() ?? props.chat.state.tagIds;
  let sending: Promise<unknown> = Promise.resolve();
  let pending = 0;
  let wrapper!: HTMLDivElement;
  let button!: HTMLButtonElement;

  function show(next: boolean, focusButton = false) {
    if (next && !open()) {
      setError(null);
      // An admin may have added or renamed tags since the list was loaded.
      void reloadAccountTags();
    }
    setOpen(next);
    if (focusButton) button.focus();
  }

  /** Each tick sends the whole list it makes, one request after another, so quick ticks all
   * count and the last one is what stays. */
  function toggle(tagId: string, on: boolean) {
    const rest = shown().filter((id) => id !== tagId);
    const next = on ? [...rest, tagId] : rest;
    setWanted(next);
    setError(null);
    pending++;
    sending = sending
      .then(() => props.chat.setTags(next))
      .catch((problem: unknown) =>
        setError(problem instanceof Error ? problem.message : "The tags could not be saved. Try again."),
      )
      .finally(() => --pending === 0 && setWanted(null));
  }

  const outside = (event: MouseEvent) => open() && !wrapper.contains(event.target as Node) && show(false);
  document.addEventListener("mousedown", outside);
  onCleanup(() => document.removeEventListener("mousedown", outside));

  return (
    <div
      class="tag-picker"
      ref={wrapper}
      onKeyDown={(event) => {
        if (event.key !== "Escape" || !open()) return;
        event.stopPropagation();
        show(false, true);
      }}
    >
      <button
        type="button"
        ref={button}
        aria-expanded={open()}
        aria-controls={listId}
        data-testid="tag-picker-button"
        onClick={() => show(!open())}
      >
        Tags
      </button>
      <Show when={open()}>
        <div id={listId} class="tag-picker-list" role="group" aria-label="Tags of this chat" data-testid="tag-picker">
          <Show
            when={accountTags().length > 0}
            fallback={<p class="hint">No tags yet. An admin adds them in the Control Panel.</p>}
          >
            <For each={accountTags()}>
              {(tag) => (
                <label class="tag-option">
                  <input
                    type="checkbox"
                    data-testid="tag-option"
                    data-tag-id={tag.id}
                    checked={shown().includes(tag.id)}
                    onChange={(event) => toggle(tag.id, event.currentTarget.checked)}
                  />
                  <span>{tag.name}</span>
                </label>
              )}
            </For>
          </Show>
          <Show when={error()}>
            <p class="notice" role="alert" data-testid="tag-picker-error">
              {error()}
            </p>
          </Show>
        </div>
      </Show>
    </div>
  );
}
