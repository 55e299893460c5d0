// The API keys page: keys for scripts and integrations calling the admin API. A new key's secret
// is shown once, with a Copy button; the list only ever has a key's first characters. Revoking
// takes effect at once, so it asks first. A key has a role, at most the creator's own (the
// select offers only those), and follows whoever created it; the list says both.
import { createSignal, For, Show } from "solid-js";
import { apiKeyRoles, roleAtLeast, type ApiKeyRole, type OperatorProfile } from "../../../shared/protocol.ts";
import { messageTime } from "../format.ts";
import { announce } from "../components/live-region.tsx";
import { admin, type ApiKey } from "./admin-client.ts";
import { ConfirmButton } from "./confirm-button.tsx";
import { createAction, errorsFor, Field, FormProblem, WhenLoaded } from "./forms.tsx";
import { loadOnMount } from "./list-loader.ts";
import { OnceSecret } from "./once-secret.tsx";
import { ROLE_LABELS } from "./operator-fields.tsx";

const when = (ms: number | null) => (ms === null ? "never" : messageTime(ms));
/** Live keys first, newest first: the ones an admin is looking for. */
const order = (a: ApiKey, b: ApiKey) =>
  Number(a.revokedAt !== null) - Number(b.revokedAt !== null) || b.createdAt - a.createdAt;

/** The roles this operator may give a key: their own and below, highest first. */
function rolesFor(me: OperatorProfile): ApiKeyRole[] {
  return apiKeyRoles.filter((role) => roleAtLeast(me.role, role));
}

export function ApiKeysPage(props: { me: OperatorProfile }) {
  const list = loadOnMount(async () => (await admin.apiKeys.list()).sort(order));
  // Names for the "Created by" column; a key's creator may be anyone in the account.
  const people = loadOnMount(async () => new Map((await admin.operators.list()).map((o) => [o.id, o.name])));
  const allowed = () => rolesFor(props.me);
  const [name, setName] = createSignal("");
  // The highest role this operator may give: owner for owners, admin for admins.
  const [role, setRole] = createSignal<ApiKeyRole>(allowed()[0] ?? "admin");
  const [secret, setSecret] = createSignal<{ name: string; value: string } | null>(null);
  const action = createAction();
  const replace = (change: (all: ApiKey[]) => ApiKey[]) => list.set(change(list.value() ?? []).sort(order));

  async function create(event: SubmitEvent) {
    event.preventDefault();
    const created = await action.run(() => admin.apiKeys.create({ name: name(), role: role() }));
    if (!created) return;
    replace((all) => [...all, created.value.apiKey]);
    setSecret({ name: created.value.apiKey.name, value: created.value.secret });
    setName("");
    announce(`Created the key ${created.value.apiKey.name}. Copy it now: it is shown only once.`);
  }

  return (
    <section class="cp-page" data-testid="cp-api-keys" aria-labelledby="cp-api-keys-heading">
      <h2 id="cp-api-keys-heading" tabIndex={-1}>
        API keys
      </h2>
      <p class="hint">
        A key lets a script call the admin API for this account, as an operator of the key's role would: keep it secret,
        and revoke it when it is no longer used. A key follows whoever created it: it is revoked when they are
        deactivated or stop being an admin, and an owner key becomes an admin key when its creator stops being an owner.
      </p>
      <form class="cp-card cp-inline-form" aria-label="New API key" onSubmit={create}>
        <Field
          label="Name of the new key"
          hint="What uses it, e.g. “CRM sync”."
          errors={errorsFor(action.problem(), "name")}
        >
          <input
            data-testid="cp-api-key-name"
            required
            maxLength={100}
            value={name()}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </Field>
        <Field
          label="Role"
          hint={allowed().length > 1 ? "Owner keys can do everything an owner can." : "An admin can create admin keys."}
          errors={errorsFor(action.problem(), "role")}
        >
          <select
            data-testid="cp-api-key-role"
            value={role()}
            onChange={(e) => setRole(e.currentTarget.value as ApiKeyRole)}
          >
            <For each={allowed()}>{(r) => <option value={r}>{ROLE_LABELS[r]}</option>}</For>
          </select>
        </Field>
        <button type="submit" class="primary" data-testid="cp-api-key-save" disabled={action.busy()}>
          Create key
        </button>
        <FormProblem problem={action.problem()} fields={["name", "role"]} />
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
      <WhenLoaded value={list.value()} problem={list.problem()}>
        {(keys) => (
          <Show when={keys().length > 0} fallback={<p class="hint">No API keys yet.</p>}>
            <table class="cp-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Key</th>
                  <th scope="col">Role</th>
                  <th scope="col">Created by</th>
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
                      {(key) => (
                        <KeyRow
                          apiKey={key()}
                          creator={creatorName(key().createdBy, people.value())}
                          onRevoked={(revoked) => replace((all) => all.map((k) => (k.id === revoked.id ? revoked : k)))}
                        />
                      )}
                    </Show>
                  )}
                </For>
              </tbody>
            </table>
          </Show>
        )}
      </WhenLoaded>
    </section>
  );
}

function creatorName(id: string | null, names: Map<string, string> | undefined): string {
  if (id === null) return "Account setup";
  if (!names) return "…";
  return names.get(id) ?? "A former operator";
}

function KeyRow(props: { apiKey: ApiKey; creator: string; onRevoked(key: ApiKey): void }) {
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
      <td data-testid="cp-api-key-role-cell">{ROLE_LABELS[props.apiKey.role]}</td>
      <td data-testid="cp-api-key-creator">{props.creator}</td>
      <td>{when(props.apiKey.createdAt)}</td>
      <td>{when(props.apiKey.lastUsedAt)}</td>
      <td class="cp-row-actions">
        <Show
          when={props.apiKey.revokedAt === null}
          fallback={<span class="cp-badge warn">Revoked {when(props.apiKey.revokedAt)}</span>}
        >
          <ConfirmButton
            label="Revoke"
            question={`Revoke “${props.apiKey.name}”? Whatever uses it stops working at once.`}
            testid="cp-api-key-revoke"
            disabled={action.busy()}
            onConfirm={() => void revoke()}
          />
        </Show>
        <FormProblem problem={action.problem()} />
      </td>
    </tr>
  );
}
