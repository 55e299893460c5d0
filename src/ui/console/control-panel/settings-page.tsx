// The Settings page: what the widget and the console read for this account. Saving sends only the
// fields that changed; the API's validation messages appear next to the fields they are about.
import { createEffect, createSignal, on, type Accessor } from "solid-js";
import { announce } from "../components/live-region.tsx";
import { admin, type Settings, type SettingsChanges } from "./admin-client.ts";
import { createAction, errorsFor, Field, FormProblem, WhenLoaded } from "./forms.tsx";
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
] as const;

/** Lists are edited one entry a line (commas work too); blank lines are not entries. */
const toList = (text: string) =>
  text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

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

  return (
    <section class="cp-page" data-testid="cp-settings" aria-labelledby="cp-settings-heading">
      <h2 id="cp-settings-heading" tabIndex={-1}>
        Settings
      </h2>
      <WhenLoaded value={draft()} problem={loaded.problem()}>
        {(d) => (
          <form class="cp-card cp-settings" aria-label="Account settings" onSubmit={submit}>
            <h3>Widget</h3>
            <Field
              label="Display name"
              hint="The company name visitors see in the chat window."
              errors={errorsFor(problem(), "displayName")}
            >
              <input
                data-testid="cp-settings-displayName"
                value={d().displayName}
                onInput={(e) => edit("displayName", e.currentTarget.value)}
              />
            </Field>
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
            <Field label="Greeting" hint="The first message visitors see." errors={errorsFor(problem(), "greeting")}>
              <textarea
                rows={2}
                data-testid="cp-settings-greeting"
                value={d().greeting}
                onInput={(e) => edit("greeting", e.currentTarget.value)}
              />
            </Field>
            <Field
              label="Offline message"
              hint="Shown when no operator is online."
              errors={errorsFor(problem(), "offlineMessage")}
            >
              <textarea
                rows={2}
                data-testid="cp-settings-offlineMessage"
                value={d().offlineMessage}
                onInput={(e) => edit("offlineMessage", e.currentTarget.value)}
              />
            </Field>
            <label class="cp-check">
              <input
                type="checkbox"
                data-testid="cp-settings-preChatForm"
                checked={d().preChatForm}
                onChange={(e) => edit("preChatForm", e.currentTarget.checked)}
              />
              Ask visitors for their name, email and department before the chat starts (pre-chat form)
            </label>
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
            <Field
              label="Allowed website origins"
              hint="One a line, e.g. https://www.example.com. The widget works only on these sites."
              errors={errorsFor(problem(), "allowedOrigins")}
            >
              <textarea
                rows={3}
                data-testid="cp-settings-allowedOrigins"
                value={d().allowedOrigins.join("\n")}
                onChange={(e) => edit("allowedOrigins", toList(e.currentTarget.value))}
              />
            </Field>
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
            <Field
              label="Allowed file types"
              hint="MIME types, one a line: image/png, image/* or application/pdf."
              errors={errorsFor(problem(), "allowedFileTypes")}
            >
              <textarea
                rows={3}
                data-testid="cp-settings-allowedFileTypes"
                value={d().allowedFileTypes.join("\n")}
                onChange={(e) => edit("allowedFileTypes", toList(e.currentTarget.value))}
              />
            </Field>
            <Field
              label="Transcript sender name"
              hint="The sender of chat transcripts sent by email."
              errors={errorsFor(problem(), "transcriptSenderName")}
            >
              <input
                data-testid="cp-settings-transcriptSenderName"
                value={d().transcriptSenderName}
                onInput={(e) => edit("transcriptSenderName", e.currentTarget.value)}
              />
            </Field>
            <h3>Canned responses</h3>
            <label class="cp-check">
              <input
                type="checkbox"
                data-testid="cp-settings-operatorsManageOwnResponses"
                checked={d().operatorsManageOwnResponses}
                onChange={(e) => edit("operatorsManageOwnResponses", e.currentTarget.checked)}
              />
              Operators may add, edit and delete their own responses from the console
            </label>
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
