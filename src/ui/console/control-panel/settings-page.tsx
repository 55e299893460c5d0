// The Settings page: what the widget and the console read for this account. Saving sends only the
// fields that changed; the API's validation messages appear next to the fields they are about.
import { createEffect, createSignal, on, type Accessor } from "solid-js";
import { announce } from "../components/live-region.tsx";
import { admin, MOST_CHATS, type Settings, type SettingsChanges } from "./admin-client.ts";
import { ChatPageLink } from "./chat-page-link.tsx";
import { DataSettings } from "./data-settings.tsx";
import { createAction, errorsFor, Field, FormProblem, numberOf, WhenLoaded } from "./forms.tsx";
import { loadOnMount } from "./list-loader.ts";

const MB = 1024 * 1024;
const FIELDS = [
  "displayName",
  "widgetColor",
  "greeting",
  "offlineMessage",
  "allowedOrigins",
  "fileSizeLimitBytes",
  "allowedFileTypes",
  "transcriptSenderName",
  "operatorsManageOwnResponses",
  "preChatForm",
  "language",
  "maxChatsPerOperator",
  "storageQuotaBytes",
  "retentionDays",
] as const;

/** Lists are edited one entry a line (commas work too); blank lines are not entries. */
const toList = (text: string) =>
  text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

type TextKey = "displayName" | "greeting" | "offlineMessage" | "transcriptSenderName";
type ListKey = "allowedOrigins" | "allowedFileTypes";
type CheckKey = "preChatForm" | "operatorsManageOwnResponses";
/** Numbers that may be left empty (null). */
type OptionalNumberKey = "maxChatsPerOperator";

export function SettingsPage(props: { changes: Accessor<number> }) {
  const loaded = loadOnMount(() => admin.settings.get());
  const [draft, setDraft] = createSignal<Settings>();
  const action = createAction();
  const [savedNote, setSavedNote] = createSignal("");

  /** Only what differs from the stored settings is sent. */
  const changed = (): SettingsChanges => {
    const stored = loaded.value();
    const now = draft();
    if (!stored || !now) return {};
    return Object.fromEntries(FIELDS.filter((key) => !sameJson(stored[key], now[key])).map((key) => [key, now[key]]));
  };
  const dirty = () => Object.keys(changed()).length > 0;

  createEffect(on(loaded.value, (stored) => stored && setDraft({ ...stored })));
  // Another admin saved: show their values, unless this admin is in the middle of editing.
  createEffect(on(props.changes, () => !dirty() && void loaded.reload(), { defer: true }));

  function edit<K extends keyof Settings>(key: K, value: Settings[K]) {
    setDraft((d) => (d ? { ...d, [key]: value } : d));
    setSavedNote("");
  }

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const saved = await action.run(() => admin.settings.update(changed()));
    if (!saved) return;
    loaded.set(saved.value);
    setSavedNote("Settings saved.");
    announce("Settings saved.");
  }

  const problem = () => action.problem();

  // The settings drawn alike, one component for each kind. They are drawn only with the form,
  // which is there once the draft is.
  function TextSetting(setting: { key: TextKey; label: string; hint: string; rows?: number }) {
    const value = () => draft()![setting.key];
    const testid = `cp-settings-${setting.key}`;
    return (
      <Field label={setting.label} hint={setting.hint} errors={errorsFor(problem(), setting.key)}>
        {setting.rows ? (
          <textarea
            rows={setting.rows}
            data-testid={testid}
            value={value()}
            onInput={(e) => edit(setting.key, e.currentTarget.value)}
          />
        ) : (
          <input data-testid={testid} value={value()} onInput={(e) => edit(setting.key, e.currentTarget.value)} />
        )}
      </Field>
    );
  }
  function ListSetting(setting: { key: ListKey; label: string; hint: string }) {
    return (
      <Field label={setting.label} hint={setting.hint} errors={errorsFor(problem(), setting.key)}>
        <textarea
          rows={3}
          data-testid={`cp-settings-${setting.key}`}
          value={draft()![setting.key].join("\n")}
          onChange={(e) => edit(setting.key, toList(e.currentTarget.value))}
        />
      </Field>
    );
  }
  function OptionalNumberSetting(setting: { key: OptionalNumberKey; label: string; hint: string; empty: string }) {
    return (
      <Field label={setting.label} hint={setting.hint} class="cp-number" errors={errorsFor(problem(), setting.key)}>
        <input
          type="number"
          inputMode="numeric"
          data-testid={`cp-settings-${setting.key}`}
          placeholder={setting.empty}
          value={draft()![setting.key] ?? ""}
          onInput={(e) => edit(setting.key, numberOf(e.currentTarget.value))}
        />
      </Field>
    );
  }
  function CheckSetting(setting: { key: CheckKey; label: string }) {
    return (
      <label class="cp-check">
        <input
          type="checkbox"
          data-testid={`cp-settings-${setting.key}`}
          checked={draft()![setting.key]}
          onChange={(e) => edit(setting.key, e.currentTarget.checked)}
        />
        {setting.label}
      </label>
    );
  }

  return (
    <section class="cp-page" data-testid="cp-settings" aria-labelledby="cp-settings-heading">
      <h2 id="cp-settings-heading" tabIndex={-1}>
        Settings
      </h2>
      <ChatPageLink />
      <WhenLoaded value={draft()} problem={loaded.problem()}>
        {(d) => (
          <form class="cp-card cp-settings" aria-label="Account settings" onSubmit={submit}>
            <h3>Widget</h3>
            <TextSetting
              key="displayName"
              label="Display name"
              hint="The company name visitors see in the chat window."
            />
            <Field label="Widget colour" hint="#rgb or #rrggbb." errors={errorsFor(problem(), "widgetColor")}>
              <span class="cp-colour">
                <input
                  data-testid="cp-settings-widgetColor"
                  value={d().widgetColor}
                  onInput={(e) => edit("widgetColor", e.currentTarget.value)}
                />
                <input
                  type="color"
                  aria-label="Pick the widget colour"
                  value={/^#[0-9a-f]{6}$/i.test(d().widgetColor) ? d().widgetColor : "#000000"}
                  onInput={(e) => edit("widgetColor", e.currentTarget.value)}
                />
              </span>
            </Field>
            <TextSetting key="greeting" label="Greeting" hint="The first message visitors see." rows={2} />
            <TextSetting
              key="offlineMessage"
              label="Offline message"
              hint="Shown when no operator is online."
              rows={2}
            />
            <CheckSetting
              key="preChatForm"
              label="Ask visitors for their name, email and department before the chat starts (pre-chat form)"
            />
            <Field
              label="Widget language"
              hint="Automatic follows each visitor's browser language."
              errors={errorsFor(problem(), "language")}
            >
              <select
                data-testid="cp-settings-language"
                value={d().language}
                onChange={(e) => edit("language", e.currentTarget.value as Settings["language"])}
              >
                <option value="auto">Automatic</option>
                <option value="en">English</option>
                <option value="de">Deutsch</option>
              </select>
            </Field>
            <ListSetting
              key="allowedOrigins"
              label="Allowed website origins"
              hint="One a line, e.g. https://www.example.com. The widget works only on these sites."
            />
            <h3>Files and transcripts</h3>
            <Field label="File size limit (MB)" errors={errorsFor(problem(), "fileSizeLimitBytes")}>
              <input
                type="number"
                min="0.01"
                max="100"
                step="0.01"
                data-testid="cp-settings-fileSizeLimit"
                value={Math.round((d().fileSizeLimitBytes / MB) * 100) / 100}
                onChange={(e) => edit("fileSizeLimitBytes", Math.round(e.currentTarget.valueAsNumber * MB))}
              />
            </Field>
            <ListSetting
              key="allowedFileTypes"
              label="Allowed file types"
              hint="MIME types, one a line: image/png, image/* or application/pdf."
            />
            <TextSetting
              key="transcriptSenderName"
              label="Transcript sender name"
              hint="The sender of chat transcripts sent by email."
            />
            <h3>Storage and retention</h3>
            <DataSettings draft={d()} stored={loaded.value} edit={edit} problem={problem()} />
            <h3>Routing</h3>
            <OptionalNumberSetting
              key="maxChatsPerOperator"
              label="Most chats per operator"
              hint={`How many chats at once routing gives an operator, 1 to ${MOST_CHATS}, unless the Operators page sets their own. Empty: no limit.`}
              empty="No limit"
            />
            <h3>Canned responses</h3>
            <CheckSetting
              key="operatorsManageOwnResponses"
              label="Operators may add, edit and delete their own responses from the console"
            />
            <FormProblem problem={problem()} fields={FIELDS} testid="cp-settings-problem" />
            <div class="cp-form-actions">
              <button type="submit" class="primary" data-testid="cp-settings-save" disabled={action.busy() || !dirty()}>
                Save settings
              </button>
              <span class="hint" role="status" data-testid="cp-settings-saved">
                {savedNote()}
              </span>
            </div>
          </form>
        )}
      </WhenLoaded>
    </section>
  );
}
