// The link to the account's shareable chat page (/chat/<account>, docs/chat-page.md), shown on the
// Settings page for emails, social profiles and QR codes: optionally for one department, with a
// button that copies it.
import { createSignal, createUniqueId, For } from "solid-js";
import { admin } from "./admin-client.ts";
import { loadOnMount } from "./list-loader.ts";
import { copy } from "./once-secret.tsx";

export function ChatPageLink() {
  const account = loadOnMount(() => admin.account());
  const departments = loadOnMount(() => admin.departments.list());
  const [department, setDepartment] = createSignal("");
  const [copied, setCopied] = createSignal<boolean | null>(null);
  const id = createUniqueId();
  let box!: HTMLInputElement;
  const link = () => {
    const accountId = account.value()?.id;
    if (!accountId) return "";
    const query = department() ? `?department=${encodeURIComponent(department())}` : "";
    return `${location.origin}/chat/${encodeURIComponent(accountId)}${query}`;
  };

  return (
    <section class="cp-card" aria-labelledby={`${id}-heading`} data-testid="cp-chat-page">
      <h3 id={`${id}-heading`}>Chat page link</h3>
      <p class="hint">
        A page with just your chat, for links in emails, social profiles and QR codes. It works without the widget on
        your site, whatever the allowed website origins are.
      </p>
      <div class="cp-field">
        <label for={`${id}-department`}>Department</label>
        <select
          id={`${id}-department`}
          data-testid="cp-chat-page-department"
          value={department()}
          onChange={(e) => {
            setDepartment(e.currentTarget.value);
            setCopied(null);
          }}
        >
          <option value="">Any department (the usual routing)</option>
          <For each={departments.value() ?? []}>{(d) => <option value={d.id}>{d.name}</option>}</For>
        </select>
      </div>
      <div class="cp-field">
        <label for={`${id}-link`}>Link</label>
        <div class="cp-secret-row cp-link-row">
          <input
            id={`${id}-link`}
            ref={box}
            readOnly
            value={link()}
            data-testid="cp-chat-page-link"
            onFocus={(e) => e.currentTarget.select()}
          />
          <button
            type="button"
            data-testid="cp-chat-page-copy"
            disabled={!link()}
            onClick={async () => setCopied(await copy(link(), box))}
          >
            {copied() ? "Copied" : "Copy link"}
          </button>
          <a href={link() || undefined} target="_blank" rel="noopener" data-testid="cp-chat-page-open">
            Open
          </a>
        </div>
      </div>
      <p class="hint" aria-live="polite">
        {copied() === false ? "Copying is not allowed here: the link is selected, press Ctrl+C (⌘C)." : ""}
      </p>
    </section>
  );
}
