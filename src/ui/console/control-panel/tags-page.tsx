// The Tags page: the account's tags, which operators put on chats from the console (and History
// and search filter by). Add one, rename one in place, delete one (it comes off every chat that
// has it). Names are unique whatever their case; the API says so at the field.
import { createSignal, Show } from "solid-js";
import { announce } from "../components/live-region.tsx";
import { reloadAccountTags } from "../account-tags.ts";
import { admin, TAG_NAME_MAX, type Tag } from "./admin-client.ts";
import { ConfirmButton } from "./confirm-button.tsx";
import { createAction, EditorActions, errorsFor, Field, FormProblem, RowsById, WhenLoaded } from "./forms.tsx";
import { loadOnMount } from "./list-loader.ts";

const byName = (a: Tag, b: Tag) => a.name.localeCompare(b.name, undefined, { sensitivity: "base" });

export function TagsPage() {
  const list = loadOnMount(async () => (await admin.tags.list()).sort(byName));
  const [name, setName] = createSignal("");
  const action = createAction();
  /** Changes here show in the console's own picker and chips at once. */
  const replace = (change: (all: Tag[]) => Tag[]) => {
    list.set(change(list.value() ?? []).sort(byName));
    void reloadAccountTags();
  };

  async function create(event: SubmitEvent) {
    event.preventDefault();
    const created = await action.run(() => admin.tags.create(name()));
    if (!created) return;
    replace((all) => [...all, created.value]);
    setName("");
    announce(`Added the tag ${created.value.name}.`);
  }

  return (
    <section class="cp-page" data-testid="cp-tags" aria-labelledby="cp-tags-heading">
      <h2 id="cp-tags-heading" tabIndex={-1}>
        Tags
      </h2>
      <p class="hint">
        Operators put tags on chats from the chat's header, to find them again in the History. Visitors never see them.
        Deleting a tag takes it off every chat that has it.
      </p>
      <form class="cp-card cp-inline-form" aria-label="New tag" onSubmit={create}>
        <Field label="New tag" hint={`Up to ${TAG_NAME_MAX} characters.`} errors={errorsFor(action.problem(), "name")}>
          <input
            data-testid="cp-tag-name"
            required
            maxLength={TAG_NAME_MAX}
            value={name()}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </Field>
        <button type="submit" class="primary" data-testid="cp-tag-save" disabled={action.busy()}>
          Add tag
        </button>
        <FormProblem problem={action.problem()} fields={["name"]} />
      </form>
      <WhenLoaded value={list.value()} problem={list.problem()}>
        {(tags) => (
          <RowsById items={tags()} empty="No tags yet." label="Tags">
            {(tag) => (
              <TagRow
                tag={tag()}
                onSaved={(saved) => replace((all) => all.map((t) => (t.id === saved.id ? saved : t)))}
                onDeleted={() => replace((all) => all.filter((t) => t.id !== tag().id))}
              />
            )}
          </RowsById>
        )}
      </WhenLoaded>
    </section>
  );
}

function TagRow(props: { tag: Tag; onSaved(tag: Tag): void; onDeleted(): void }) {
  const [editing, setEditing] = createSignal(false);
  const [name, setName] = createSignal("");
  const action = createAction();
  let editButton: HTMLButtonElement | undefined;

  const close = () => {
    setEditing(false);
    editButton?.focus();
  };

  async function save(event: SubmitEvent) {
    event.preventDefault();
    if (name() === props.tag.name) return close();
    const saved = await action.run(() => admin.tags.rename(props.tag.id, name()));
    if (!saved) return;
    announce(`Renamed the tag to ${saved.value.name}.`);
    props.onSaved(saved.value);
    close();
  }

  async function remove() {
    const done = await action.run(() => admin.tags.remove(props.tag.id));
    if (!done) return;
    announce(`Deleted the tag ${props.tag.name}.`);
    props.onDeleted();
  }

  return (
    <li class="cp-list-row" data-testid="cp-tag-row" data-id={props.tag.id}>
      <Show
        when={editing()}
        fallback={
          <>
            <span class="cp-list-name tag-chip">{props.tag.name}</span>
            <span class="cp-row-actions">
              <button
                type="button"
                ref={editButton}
                data-testid="cp-tag-edit"
                aria-label={`Rename ${props.tag.name}`}
                onClick={() => {
                  action.clear();
                  setName(props.tag.name);
                  setEditing(true);
                }}
              >
                Rename
              </button>
              <ConfirmButton
                label="Delete"
                question={`Delete the tag ${props.tag.name}? It comes off every chat that has it.`}
                testid="cp-tag-delete"
                disabled={action.busy()}
                onConfirm={() => void remove()}
              />
            </span>
          </>
        }
      >
        <form
          class="cp-row-form"
          aria-label={`Rename ${props.tag.name}`}
          onSubmit={save}
          onKeyDown={(e) => e.key === "Escape" && close()}
        >
          <Field label="Name" errors={errorsFor(action.problem(), "name")}>
            <input
              data-testid="cp-tag-edit-name"
              required
              maxLength={TAG_NAME_MAX}
              value={name()}
              onInput={(e) => setName(e.currentTarget.value)}
              ref={(input) => queueMicrotask(() => input.select())}
            />
          </Field>
          <FormProblem problem={action.problem()} fields={["name"]} />
          <EditorActions busy={action.busy()} saveTestid="cp-tag-edit-save" onCancel={close} />
        </form>
      </Show>
      <Show when={!editing()}>
        <FormProblem problem={action.problem()} />
      </Show>
    </li>
  );
}
