// "My responses": an operator's own operator-level canned responses, edited from the console.
// Only when the account's setting operatorsManageOwnResponses is on; that setting is for admins
// to read, so this page does not ask: it offers the editor and, when the server answers 403,
// explains who manages canned responses instead.
import { createMemo, createSignal, For, Show } from "solid-js";
import type { CannedResponse, OperatorProfile } from "../../../shared/protocol.ts";
import { api, type ApiError } from "../api.ts";
import { LEVEL_COLOURS } from "../components/canned-bar.tsx";
import { CannedShortcutField, CannedTitleAndTextFields } from "./canned-fields.tsx";
import { CannedRow, readyForNext } from "./canned-row.tsx";
import { createAction, FormProblem } from "./forms.tsx";
import { navigate } from "./route.ts";

const FIELDS = ["title", "text", "shortcut"] as const;

export default function MyResponses(props: {
  me: OperatorProfile;
  responses: readonly CannedResponse[];
  onChanged(): Promise<unknown>;
}) {
  const mine = createMemo(() => props.responses.filter((r) => r.level === "operator" && r.ownerId === props.me.id));
  const [title, setTitle] = createSignal("");
  const [text, setText] = createSignal("");
  const [shortcut, setShortcut] = createSignal("");
  const [refused, setRefused] = createSignal(false);
  const action = createAction();
  let titleInput!: HTMLInputElement;

  /** Any 403 means the setting is off (or was just turned off): say so instead of the editor. */
  async function call<T>(request: () => Promise<T>): Promise<T> {
    try {
      const answer = await request();
      // The list here is the console's own: it shows the change once the console has it.
      await props.onChanged();
      return answer;
    } catch (error) {
      if ((error as ApiError).status === 403) setRefused(true);
      throw error;
    }
  }

  async function create(event: SubmitEvent) {
    event.preventDefault();
    const created = await action.run(() =>
      call(() => api.createMyResponse({ title: title(), text: text(), shortcut: shortcut().trim() || null })),
    );
    if (!created) return;
    readyForNext(created.value, [setTitle, setText, setShortcut], titleInput);
  }

  return (
    <section class="cp-page cp-my-responses" data-testid="my-responses" aria-labelledby="my-responses-heading">
      <div class="cp-page-bar">
        <h2 id="my-responses-heading" tabIndex={-1} ref={(heading) => queueMicrotask(() => heading.focus())}>
          My canned responses
        </h2>
        <button type="button" data-testid="cp-back" onClick={() => navigate({ kind: "chat" })}>
          ← Back to chats
        </button>
      </div>
      <Show
        when={!refused()}
        fallback={
          <p class="notice" data-testid="my-responses-refused">
            Your administrator manages canned responses. Ask them to add, edit or delete responses in the Control Panel,
            or to let operators manage their own.
          </p>
        }
      >
        <p class="hint">
          Your own responses appear in dark blue after the company's and your departments' in the canned responses bar.
          Only you see them.
        </p>
        <form class="cp-card" aria-labelledby="my-responses-form-title" onSubmit={create}>
          <h3 id="my-responses-form-title">New response</h3>
          <CannedTitleAndTextFields
            title={[title, setTitle]}
            text={[text, setText]}
            problem={action.problem()}
            testid="my-response"
            titleRef={(input) => (titleInput = input)}
          />
          <CannedShortcutField shortcut={[shortcut, setShortcut]} problem={action.problem()} testid="my-response" />
          <FormProblem problem={action.problem()} fields={FIELDS} />
          <div class="cp-form-actions">
            <button type="submit" class="primary" data-testid="my-response-save" disabled={action.busy()}>
              Add response
            </button>
          </div>
        </form>
        <Show when={mine().length > 0} fallback={<p class="hint">You have no responses of your own yet.</p>}>
          <div class="cp-canned-group" style={{ "--level-colour": LEVEL_COLOURS.operator }}>
            <ol class="cp-canned-list" aria-label="Your responses">
              <For each={mine().map((r) => r.id)}>
                {(id) => (
                  <Show when={mine().find((r) => r.id === id)}>
                    {(response) => (
                      <CannedRow
                        response={response()}
                        save={(changes) => call(() => api.updateMyResponse(id, changes))}
                        remove={() => call(() => api.deleteMyResponse(id))}
                      />
                    )}
                  </Show>
                )}
              </For>
            </ol>
          </div>
        </Show>
      </Show>
    </section>
  );
}
