// The Canned Responses page, the only place responses are created (as the manual says): the form,
// then every response of the account grouped by level and owner, each group in its level's colour
// (company red, department green, operator dark blue) and in the order the console's bar shows.
import { createEffect, createMemo, For, on, Show, type Accessor } from "solid-js";
import type { CannedResponse } from "../../../shared/protocol.ts";
import { LEVEL_COLOURS } from "../components/canned-bar.tsx";
import { announce } from "../components/live-region.tsx";
import { admin, type CannedChanges } from "./admin-client.ts";
import { CannedForm } from "./canned-form.tsx";
import { groupResponses, LEVEL_LABELS, movedIds, withOrder } from "./canned-groups.ts";
import { CannedRow } from "./canned-row.tsx";
import { WhenLoaded } from "./forms.tsx";
import { loadOnMount } from "./list-loader.ts";

type Data = {
  responses: CannedResponse[];
  departments: Awaited<ReturnType<typeof admin.departments.list>>;
  operators: Awaited<ReturnType<typeof admin.operators.list>>;
};

export function CannedPage(props: {
  /** Bumped when the lobby says canned responses changed (perhaps by another admin). */
  changes: Accessor<number>;
  /** Tells the console's own bar at once, without waiting for the lobby's notice. */
  onChanged(): void;
}) {
  const data = loadOnMount<Data>(async () => {
    const [responses, departments, operators] = await Promise.all([
      admin.canned.list(),
      admin.departments.list(),
      admin.operators.list(),
    ]);
    return { responses, departments, operators };
  });

  // Each change (this admin's too) makes the lobby say "canned changed". While this page still
  // has changes on their way, a reload could bring back an order it has just changed and move
  // rows under the admin's focus; such notices wait until the page's own changes are done.
  let pending = 0;
  let noticeWaiting = false;
  createEffect(
    on(
      props.changes,
      () => {
        if (pending > 0) noticeWaiting = true;
        else reloadKeepingFocus();
      },
      { defer: true },
    ),
  );
  /** Counts this page's own changes, so a reload that was already on its way when one began
   * (and would bring back the order from before it) is dropped and done again afterwards. */
  let generation = 0;
  async function own<T>(change: () => Promise<T>): Promise<T> {
    pending++;
    generation++;
    try {
      return await change();
    } finally {
      if (--pending === 0 && noticeWaiting) {
        noticeWaiting = false;
        reloadKeepingFocus();
      }
    }
  }

  // A reload redraws what changed, and the console around this page may briefly take it out of
  // the document meanwhile; either can drop the keyboard focus to the page's body. The control
  // that had it is remembered by its row and test id, and given focus again afterwards.
  let page!: HTMLElement;
  let focused: { id: string; control: string } | null = null;
  function rememberFocus(event: FocusEvent) {
    const control = (event.target as HTMLElement).closest<HTMLElement>("[data-testid]");
    const id = control?.closest<HTMLElement>("[data-id]")?.dataset.id;
    focused = control?.dataset.testid && id ? { id, control: control.dataset.testid } : null;
  }
  function restoreFocus() {
    if (!focused || (document.activeElement && document.activeElement !== document.body)) return;
    const row = page.querySelector<HTMLElement>(`[data-id="${CSS.escape(focused.id)}"]`);
    // A move button that got disabled (its row reached the end) hands the focus to its twin.
    const twin = { "cp-canned-up": "cp-canned-down", "cp-canned-down": "cp-canned-up" }[focused.control];
    const candidates = [focused.control, ...(twin ? [twin] : [])].map((id) =>
      row?.querySelector<HTMLElement>(`[data-testid="${id}"]:not(:disabled)`),
    );
    candidates.find((control) => control)?.focus();
  }
  function reloadKeepingFocus() {
    const started = generation;
    void data
      .reload(() => started === generation)
      .then((shown) => {
        if (!shown) {
          // Overtaken by a change of this page's: fetch again once that change is done.
          if (pending > 0) noticeWaiting = true;
          else if (started !== generation) reloadKeepingFocus();
          return;
        }
        queueMicrotask(restoreFocus);
        setTimeout(restoreFocus, 100);
      });
  }

  const groups = createMemo(() => {
    const d = data.value();
    return d ? groupResponses(d.responses, d.departments, d.operators) : [];
  });
  const groupByKey = createMemo(() => new Map(groups().map((g) => [g.key, g])));
  const byId = createMemo(() => new Map((data.value()?.responses ?? []).map((r) => [r.id, r])));

  /** Applies a change to the shown list and tells the console's bar. */
  function update(change: (responses: CannedResponse[]) => CannedResponse[]) {
    const d = data.value();
    if (d) data.set({ ...d, responses: change(d.responses) });
    props.onChanged();
  }

  async function save(id: string, changes: CannedChanges) {
    const saved = await own(() => admin.canned.update(id, changes));
    update((all) => all.map((r) => (r.id === id ? saved : r)));
    announce(`Saved "${saved.title}".`);
    return saved;
  }

  async function remove(response: CannedResponse) {
    await own(() => admin.canned.remove(response.id));
    update((all) => all.filter((r) => r.id !== response.id));
    announce(`Deleted "${response.title}".`);
  }

  /** Reorders are sent one after another, so quick presses reach the server in their order. */
  let saving: Promise<unknown> = Promise.resolve();

  /** Shown moved at once (the DOM moves before this returns); the server's order is reloaded if
   * it refuses. */
  function move(key: string, response: CannedResponse, delta: -1 | 1): Promise<unknown> {
    const group = groupByKey().get(key);
    const ids = group && movedIds(group, response.id, delta);
    if (!group || !ids) return Promise.resolve();
    update((all) => withOrder(all, group, ids));
    const sent = own(() => saving.then(() => admin.canned.reorder(group.level, group.ownerId, ids)));
    saving = sent.catch(() => {});
    return sent.then(
      () =>
        announce(
          `Moved "${response.title}" ${delta < 0 ? "up" : "down"}, to place ${ids.indexOf(response.id) + 1} of ${ids.length}.`,
        ),
      async (error: unknown) => {
        await data.reload();
        throw error;
      },
    );
  }

  return (
    <section
      class="cp-page"
      data-testid="cp-canned"
      aria-labelledby="cp-canned-heading"
      ref={page}
      onFocusIn={rememberFocus}
    >
      <h2 id="cp-canned-heading" tabIndex={-1}>
        Canned responses
      </h2>
      <p class="hint">
        Operators see the company's responses, those of their departments and their own, in this order, in the canned
        responses bar of the console.
      </p>
      <WhenLoaded value={data.value()} problem={data.problem()}>
        {(d) => (
          <>
            <CannedForm
              departments={d().departments}
              operators={d().operators}
              onCreated={(created) => update((all) => [...all, created])}
            />
            {/* Groups by key and rows by id, so a row (with its focus or open editor) survives
                reorders, saves and reloads instead of being drawn anew. */}
            <For each={groups().map((g) => g.key)}>
              {(key) => (
                <Show when={groupByKey().get(key)}>
                  {(group) => (
                    <section
                      class="cp-canned-group"
                      data-testid="cp-canned-group"
                      data-level={group().level}
                      style={{ "--level-colour": LEVEL_COLOURS[group().level] }}
                      aria-label={`${LEVEL_LABELS[group().level]}: ${group().name}`}
                    >
                      <h3>
                        <span class="cp-level-badge">{LEVEL_LABELS[group().level]}</span>
                        {group().level === "company" ? "All operators" : group().name}
                      </h3>
                      <Show when={group().items.length > 0} fallback={<p class="hint">No responses yet.</p>}>
                        <ol class="cp-canned-list">
                          <For each={group().items.map((r) => r.id)}>
                            {(id, index) => (
                              <Show when={byId().get(id)}>
                                {(response) => (
                                  <CannedRow
                                    response={response()}
                                    save={(changes) => save(id, changes)}
                                    remove={() => remove(response())}
                                    reorder={{
                                      get canUp() {
                                        return index() > 0;
                                      },
                                      get canDown() {
                                        return index() < group().items.length - 1;
                                      },
                                      move: (delta) => move(key, response(), delta),
                                    }}
                                  />
                                )}
                              </Show>
                            )}
                          </For>
                        </ol>
                      </Show>
                    </section>
                  )}
                </Show>
              )}
            </For>
          </>
        )}
      </WhenLoaded>
    </section>
  );
}
