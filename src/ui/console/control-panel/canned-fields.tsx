// What a canned response is written in: its title, text and shortcut, alike in the Control Panel's
// form, a response's editor in place and "My responses". The shortcut is a component of its own:
// the Control Panel's form shows it in its top row, next to the level and owner.
import type { Signal } from "solid-js";
import { MAX_TEXT_LENGTH } from "../../../shared/protocol.ts";
import type { ApiError } from "../api.ts";
import { errorsFor, Field } from "./forms.tsx";

/** Title and text. Their data-testids are `testid` followed by "-title" and "-text". */
export function CannedTitleAndTextFields(props: {
  title: Signal<string>;
  text: Signal<string>;
  problem: ApiError | null;
  testid: string;
  /** Given the title's input once it exists: a form keeps it to start again there after a save,
   * an editor focuses it. */
  titleRef(input: HTMLInputElement): void;
}) {
  const [title, setTitle] = props.title;
  const [text, setText] = props.text;
  return (
    <>
      <Field label="Title" errors={errorsFor(props.problem, "title")}>
        <input
          ref={props.titleRef}
          data-testid={`${props.testid}-title`}
          required
          maxLength={100}
          value={title()}
          onInput={(e) => setTitle(e.currentTarget.value)}
        />
      </Field>
      <Field label="Text" errors={errorsFor(props.problem, "text")}>
        <textarea
          data-testid={`${props.testid}-text`}
          required
          rows={3}
          maxLength={MAX_TEXT_LENGTH}
          value={text()}
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </Field>
    </>
  );
}

/** The optional shortcut. Its data-testid is `testid` followed by "-shortcut". */
export function CannedShortcutField(props: {
  shortcut: Signal<string>;
  problem: ApiError | null;
  testid: string;
  /** In place of the usual hint (a response's editor has its own, shorter one). */
  hint?: string;
}) {
  const [shortcut, setShortcut] = props.shortcut;
  return (
    <Field
      label="Shortcut"
      hint={props.hint ?? "Optional: typing /shortcut in a message offers this response."}
      errors={errorsFor(props.problem, "shortcut")}
    >
      <input
        data-testid={`${props.testid}-shortcut`}
        maxLength={32}
        value={shortcut()}
        onInput={(e) => setShortcut(e.currentTarget.value)}
      />
    </Field>
  );
}
