// The API keys page: keys for scripts and integrations calling the admin API. A new key's secret
// is shown once, with a Copy button; the list only ever has a key's first characters. Revoking
// takes effect at once, so it asks first.
import { createSignal, For, Show } from "solid-js";
import { messageTime } from "../format.ts";
import { announce } from "../components/live-region.tsx";
import { admin, type ApiKey } from "./admin-client.ts";
import { ConfirmButton } from "./confirm-button.tsx";
import { createAction, errorsFor, Field, FormProblem } from "./forms.tsx";
import { loadOnMount } from "./list-loader.ts";
import { OnceSecret } from "./once-secret.tsx";

const when = (ms: number | null) => (ms === null ? "never" : messageTime(ms));
/** Live keys first, newest first: the ones an admin is looking for. */
const order = (a: ApiKey, b: ApiKey) => Number(a.revokedAt !== null) - Number(b.revokedAt !== null) || b.createdAt - a.createdAt;

export function ApiKeysPage() {
  const list = loadOnMount(async () => (await admin.apiKeys.list()).sort(order));
  const [name, setName] = createSignal("");
  const [secret, setSecret] = createSignal<{ name: string; value: string } | null>(null);
  const action = createAction();
  const replace = (change: (all: ApiKey[]) => ApiKey[]) => list.set(change(list.value() ?? []).sort(order));

  async function create(event: SubmitEvent) {
    event.preventDefault();
    const created = await action.run(() => admin.apiKeys.create({ name: name() }));
    if (!created) return;
    replace((all) => [...all, created.value.apiKey]);
    setSecret({ name: created.value.apiKey.name, value: created.value.secret });
    setName("");
    announce(`Created the key ${created.value.apiKey.name}. Copy it now: it is shown only once.`);
  }

  return (
    <section class="cp-page" data-testid="cp-api-keys" aria-labelledby="cp-api-keys-heading">
      <h2 id="cp-api-keys-heading" tabIndex={-1}>API keys</h2>
      <p class="hint">A key lets a script call the admin API for this account, as an admin would: keep it secret, and revoke it when it is no longer used.</p>
      <form class="cp-card cp-inline-form" aria-label="New API key" onSubmit={create}>
        <Field label="Name of the new key" hint="What uses it, e.g. “CRM sync”." errors={errorsFor(action.problem(), "name")}>
          <input data-testid="cp-api-key-name" required maxLength={100} value={name()} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <button type="submit" class="primary" data-testid="cp-api-key-save" disabled={action.busy()}>
          Create key
        </button>
        <FormProblem problem={action.problem()} fields={["name"]} />
      </form>
      <Show when={secret()}>
        {(shown) => (
          <OnceSecret
            label={`The key “${shown().name}”`}
            value={shown().value}
            note="Copy it now and store it somewhere safe: it is shown only this once. Send it as “Authorization: Bearer …”."
            testid="cp-api-key-secret"
            onDone={() => setSecret(null)}
          />
        )}
      </Show>
      <FormProblem problem={list.problem()} testid="cp-load-problem" />
      <Show when={list.value()} fallback={<Show when={!list.problem()}><p class="hint">Loading…</p></Show>}>
        {(keys) => (
          <Show when={keys().length > 0} fallback={<p class="hint">No API keys yet.</p>}>
            <table class="cp-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Key</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                <For each={keys().map((k) => k.id)}>
                  {(id) => (
                    <Show when={keys().find((k) => k.id === id)}>
                      {(key) => <KeyRow apiKey={key()} onRevoked={(revoked) => replace((all) => all.map((k) => (k.id === revoked.id ? revoked : k)))} />}
                    </Show>
                  )}
                </For>
              </tbody>
            </table>
          </Show>
        )}
      </Show>
    </section>
  );
}

function KeyRow(props: { apiKey: ApiKey; onRevoked(key: ApiKey): void }) {
  const action = createAction();
  async function revoke() {
    const done = await action.run(() => admin.apiKeys.revoke(props.apiKey.id));
    if (!done) return;
    props.onRevoked({ ...props.apiKey, revokedAt: Date.now() });
    announce(`Revoked the key ${props.apiKey.name}.`);
  }
  return (
    <tr data-testid="cp-api-key-row" data-id={props.apiKey.id} classList={{ revoked: props.apiKey.revokedAt !== null }}>
      <th scope="row">{props.apiKey.name}</th>
      <td>
        <code>{props.apiKey.prefix}…</code>
      </td>
      <td>{when(props.apiKey.createdAt)}</td>
      <td>{when(props.apiKey.lastUsedAt)}</td>
      <td class="cp-row-actions">
        <Show when={props.apiKey.revokedAt === null} fallback={<span class="cp-badge warn">Revoked {when(props.apiKey.revokedAt)}</span>}>
          <ConfirmButton label="Revoke" question={`Revoke “${props.apiKey.name}”? Whatever uses it stops working at once.`} testid="cp-api-key-revoke" disabled={action.busy()} onConfirm={() => void revoke()} />
        </Show>
        <FormProblem problem={action.problem()} />
      </td>
    </tr>
  );
}
