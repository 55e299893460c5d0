// The Privacy page: one visitor's data on request (docs/privacy.md). An admin names the person by
// the email they gave or their visitor id, and either downloads everything about them (a JSON
// file, every page of the export joined) or erases it, after confirming, with the receipt shown.
import { createSignal, For, Show } from "solid-js";
import type { ErasureReceipt, PrivacyExport } from "../../../shared/privacy.ts";
import { admin } from "./admin-client.ts";
import { ConfirmButton } from "./confirm-button.tsx";
import { createAction, errorsFor, Field, FormProblem } from "./forms.tsx";

type Subject = { email?: string; visitorId?: string };

function save(name: string, data: unknown) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

export function PrivacyPage() {
  const [key, setKey] = createSignal<"email" | "visitorId">("email");
  const [value, setValue] = createSignal("");
  const [exported, setExported] = createSignal<number | null>(null);
  const [receipt, setReceipt] = createSignal<ErasureReceipt | null>(null);
  const action = createAction();
  const subject = (): Subject => ({ [key()]: value().trim() });

  async function exportAll() {
    setReceipt(null);
    setExported(null);
    const done = await action.run(async () => {
      const pages: PrivacyExport[] = [];
      let cursor: string | undefined;
      do {
        const page = await admin.privacy.export({ ...subject(), ...(cursor ? { cursor } : {}) });
        pages.push(page);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return { ...pages[0]!, chats: pages.flatMap((page) => page.chats), nextCursor: null };
    });
    if (!done) return;
    save(
      `parley-export-${value()
        .trim()
        .replace(/[^\w.@-]+/g, "_")}.json`,
      done.value,
    );
    setExported(done.value.chats.length);
  }

  async function erase() {
    setExported(null);
    setReceipt(null);
    const done = await action.run(async () => {
      const chats: ErasureReceipt["chats"] = [];
      let last: ErasureReceipt;
      let closed = 0;
      do {
        last = await admin.privacy.erase(subject());
        chats.push(...last.chats);
        closed += last.liveVisitorsClosed;
      } while (last.more);
      return { ...last, chats, liveVisitorsClosed: closed };
    });
    if (done) setReceipt(done.value);
  }

  return (
    <section class="cp-page" data-testid="cp-privacy" aria-labelledby="cp-privacy-heading">
      <h2 id="cp-privacy-heading" tabIndex={-1}>
        Privacy
      </h2>
      <p class="hint">
        Export or erase everything about one visitor: every chat they had, its messages and files. Erasing cannot be
        undone; the report figures of those days stay, without the visitor's details.
      </p>
      <form
        class="cp-card"
        aria-label="One visitor's data"
        onSubmit={(event) => (event.preventDefault(), void exportAll())}
      >
        <fieldset class="cp-check">
          <legend>Find the visitor by</legend>
          <label>
            <input type="radio" name="privacy-key" checked={key() === "email"} onChange={() => setKey("email")} /> Email
          </label>
          <label>
            <input
              type="radio"
              name="privacy-key"
              checked={key() === "visitorId"}
              onChange={() => setKey("visitorId")}
              data-testid="privacy-by-visitor-id"
            />{" "}
            Visitor id
          </label>
        </fieldset>
        <Field
          label={key() === "email" ? "The visitor's email" : "The visitor id"}
          hint={
            key() === "email"
              ? "As the visitor gave it; any case."
              : "The widget's id for the visitor, from a chat's details."
          }
          errors={errorsFor(action.problem(), key())}
        >
          <input
            type={key() === "email" ? "email" : "text"}
            required
            value={value()}
            onInput={(event) => setValue(event.currentTarget.value)}
            data-testid="privacy-subject"
          />
        </Field>
        <FormProblem problem={action.problem()} fields={["email", "visitorId"]} testid="privacy-problem" />
        <div class="cp-form-actions">
          <button
            type="submit"
            class="primary"
            disabled={action.busy() || !value().trim()}
            data-testid="privacy-export"
          >
            Export as JSON
          </button>
          <ConfirmButton
            label="Erase everything"
            question={`Erase every chat and file of ${value().trim() || "this visitor"}? This cannot be undone.`}
            testid="privacy-erase"
            disabled={action.busy() || !value().trim()}
            onConfirm={() => void erase()}
          />
        </div>
      </form>
      <Show when={exported() !== null}>
        <p role="status" data-testid="privacy-exported">
          Exported {exported()} {exported() === 1 ? "chat" : "chats"}: the file is in your downloads.
        </p>
      </Show>
      <Show when={receipt()}>
        {(done) => (
          <div role="status" data-testid="privacy-receipt">
            <p>
              {done().chats.length
                ? `Erased ${done().chats.length} ${done().chats.length === 1 ? "chat" : "chats"}, ${done().chats.reduce((n, c) => n + c.messages, 0)} messages and ${done().chats.reduce((n, c) => n + c.files, 0)} files.`
                : "Nothing found: there is nothing (left) to erase."}
              {done().liveVisitorsClosed ? " The visitor was taken off the live visitor list." : ""}
            </p>
            <Show when={done().chats.length}>
              <ul>
                <For each={done().chats}>
                  {(chat) => (
                    <li>
                      {chat.chatId}: {chat.messages} messages, {chat.files} files
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </div>
        )}
      </Show>
    </section>
  );
}
