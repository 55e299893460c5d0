// The Control Panel: the account's administration, for owners and admins, inside the console. It
// is loaded only when opened (operators never download it) and is drawn in place of the chat
// area, so the chats keep running behind it. Every page calls only the public admin API. Its
// styles are in styles/control-panel*.css, part of the console's one small stylesheet.
import { createEffect, For, Match, on, Switch, type Accessor } from "solid-js";
import type { OperatorProfile } from "../../../shared/protocol.ts";
import { admin } from "./admin-client.ts";
import { ApiKeysPage } from "./api-keys-page.tsx";
import { AuditLogPage } from "./audit-log-page.tsx";
import { CannedPage } from "./canned-page.tsx";
import { DepartmentsPage } from "./departments-page.tsx";
import { loadOnMount } from "./list-loader.ts";
import { OperatorsPage } from "./operators-page.tsx";
import { hrefOf, navigate, type AdminPage } from "./route.ts";
import { SettingsPage } from "./settings-page.tsx";
import { TagsPage } from "./tags-page.tsx";
import { WebhooksPage } from "./webhooks-page.tsx";
import { PrivacyPage } from "./privacy-page.tsx";

const PAGE_TITLES: Record<AdminPage, string> = {
  canned: "Canned responses",
  departments: "Departments",
  tags: "Tags",
  operators: "Operators",
  "api-keys": "API keys",
  webhooks: "Webhooks",
  privacy: "Privacy",
  settings: "Settings",
  "audit-log": "Audit log",
};

export default function ControlPanel(props: {
  me: OperatorProfile;
  page: AdminPage;
  /** Counters the console bumps on the lobby's config_changed notices. */
  cannedChanges: Accessor<number>;
  settingsChanges: Accessor<number>;
  /** Refreshes the console's canned responses bar after a change made here. */
  onCannedChanged(): void;
}) {
  let content!: HTMLDivElement;
  /** Whose account this is, named in the navigation: an agency admin may run several. */
  const account = loadOnMount(() => admin.account());
  // A new page is announced by moving focus to its heading, as a page load would.
  createEffect(
    on(
      () => props.page,
      () => queueMicrotask(() => content.querySelector<HTMLElement>("h2")?.focus()),
    ),
  );

  return (
    <div class="control-panel" data-testid="control-panel">
      <nav class="cp-nav" aria-label="Control Panel">
        <h1 class="cp-nav-title">Control Panel</h1>
        <p class="cp-muted cp-account" data-testid="cp-account">
          {account.value()?.name ?? ""}
        </p>
        <ul>
          <For each={Object.keys(PAGE_TITLES) as AdminPage[]}>
            {(page) => (
              <li>
                <a
                  href={hrefOf({ kind: "admin", page })}
                  data-testid={`cp-nav-${page}`}
                  aria-current={props.page === page ? "page" : undefined}
                >
                  {PAGE_TITLES[page]}
                </a>
              </li>
            )}
          </For>
        </ul>
        <button type="button" class="cp-back" data-testid="cp-back" onClick={() => navigate({ kind: "chat" })}>
          ← Back to chats
        </button>
      </nav>
      <div class="cp-content" ref={content}>
        <Switch>
          <Match when={props.page === "canned"}>
            <CannedPage changes={props.cannedChanges} onChanged={props.onCannedChanged} />
          </Match>
          <Match when={props.page === "departments"}>
            <DepartmentsPage />
          </Match>
          <Match when={props.page === "tags"}>
            <TagsPage />
          </Match>
          <Match when={props.page === "operators"}>
            <OperatorsPage me={props.me} />
          </Match>
          <Match when={props.page === "api-keys"}>
            <ApiKeysPage me={props.me} />
          </Match>
          <Match when={props.page === "webhooks"}>
            <WebhooksPage />
          </Match>
          <Match when={props.page === "privacy"}>
            <PrivacyPage />
          </Match>
          <Match when={props.page === "settings"}>
            <SettingsPage changes={props.settingsChanges} />
          </Match>
          <Match when={props.page === "audit-log"}>
            <AuditLogPage />
          </Match>
        </Switch>
      </div>
    </div>
  );
}
