// The Audit log page: every change made through the admin API (by this panel, or with an API
// key), and every attempt that was refused, newest first, a page at a time. Read-only: nobody can
// edit or delete an entry; the server keeps them a year. Everything shown is text (names, bodies),
// never markup.
import { createSignal, For, Show } from "solid-js";
import { fullTime, messageTime } from "../format.ts";
import { admin } from "./admin-client.ts";
import { createAction, FormProblem, WhenLoaded } from "./forms.tsx";
import { loadOnMount } from "./list-loader.ts";

/** The actions in words; a route not named here (one added later) shows as its raw action. */
const ACTION_WORDS: Record<string, string> = {
  "PATCH /settings": "Changed the settings",
  "POST /departments": "Added a department",
  "PATCH /departments/:id": "Changed a department",
  "DELETE /departments/:id": "Deleted a department",
  "POST /operators": "Added an operator",
  "PATCH /operators/:id": "Changed an operator",
  "POST /operators/:id/password": "Set an operator's password",
  "POST /canned-responses": "Added a canned response",
  "PUT /canned-responses/order": "Reordered canned responses",
  "PATCH /canned-responses/:id": "Changed a canned response",
  "DELETE /canned-responses/:id": "Deleted a canned response",
  "POST /api-keys": "Created an API key",
  "DELETE /api-keys/:id": "Revoked an API key",
  "POST /tags": "Added a tag",
  "PATCH /tags/:id": "Renamed a tag",
  "DELETE /tags/:id": "Deleted a tag",
  "POST /webhooks": "Added a webhook",
  "PATCH /webhooks/:id": "Changed a webhook",
  "DELETE /webhooks/:id": "Deleted a webhook",
  "POST /webhooks/:id/rotate-secret": "Rotated a webhook's secret",
  "POST /webhooks/:id/deliveries/:deliveryId/resend": "Sent a webhook delivery again",
  "POST /privacy/export": "Exported a person's data",
  "POST /privacy/erase": "Erased a person's data",
};

export function AuditLogPage() {
  const [cursor, setCursor] = createSignal<string | null>(null);
  const log = loadOnMount(async () => {
    const page = await admin.auditLog.page();
    setCursor(page.nextCursor);
    return page.items;
  });
  const more = createAction();

  async function loadMore() {
    const from = cursor();
    if (from === null) return;
    const next = await more.run(() => admin.auditLog.page(from));
    if (!next) return;
    log.set([...(log.value() ?? []), ...next.value.items]);
    setCursor(next.value.nextCursor);
  }

  return (
    <section class="cp-page" data-testid="cp-audit-log" aria-labelledby="cp-audit-log-heading">
      <h2 id="cp-audit-log-heading" tabIndex={-1}>
        Audit log
      </h2>
      <p class="hint">
        Every change made in the Control Panel or with an API key, and every attempt that was refused, newest first.
        Entries are kept for a year and cannot be changed or deleted. Passwords, secrets and keys are never recorded.
      </p>
      <div class="cp-form-actions">
        <button type="button" data-testid="cp-audit-refresh" onClick={() => void log.reload()}>
          Refresh
        </button>
      </div>
      <WhenLoaded value={log.value()} problem={log.problem()}>
        {(entries) => (
          <Show when={entries().length > 0} fallback={<p class="hint">Nothing has been changed yet.</p>}>
            <table class="cp-table cp-audit">
              <caption class="visually-hidden">Audit log, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Who</th>
                  <th scope="col">Address</th>
                  <th scope="col">Action</th>
                  <th scope="col">Target</th>
                  <th scope="col">Result</th>
                  <th scope="col">Changes</th>
                </tr>
              </thead>
              <tbody>
                <For each={entries()}>
                  {(entry) => (
                    <tr data-testid="cp-audit-entry" data-action={entry.action}>
                      <td>
                        <time datetime={new Date(entry.at).toISOString()} title={fullTime(entry.at)}>
                          {messageTime(entry.at)}
                        </time>
                      </td>
                      <td>
                        {entry.actorName ?? entry.actorId}
                        <span class="cp-muted"> ({entry.actorKind === "apiKey" ? "API key" : "operator"})</span>
                      </td>
                      <td>{entry.address ?? "—"}</td>
                      <td>
                        {ACTION_WORDS[entry.action] ?? entry.action}
                        <Show when={ACTION_WORDS[entry.action]}>
                          <span class="cp-muted cp-audit-raw">{entry.action}</span>
                        </Show>
                      </td>
                      <td class="cp-audit-target">{entry.targetId ?? "—"}</td>
                      <td data-testid="cp-audit-status">
                        {entry.status < 400 ? "Done" : "Refused"} ({entry.status})
                      </td>
                      <td>
                        <Show when={entry.changes !== null} fallback="—">
                          <details>
                            <summary>Show</summary>
                            <pre class="cp-audit-changes" data-testid="cp-audit-changes">
                              {JSON.stringify(entry.changes, null, 2)}
                            </pre>
                          </details>
                        </Show>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
            <FormProblem problem={more.problem()} />
            <Show when={cursor() !== null}>
              <button type="button" data-testid="cp-audit-more" disabled={more.busy()} onClick={() => void loadMore()}>
                Load more
              </button>
            </Show>
          </Show>
        )}
      </WhenLoaded>
    </section>
  );
}
