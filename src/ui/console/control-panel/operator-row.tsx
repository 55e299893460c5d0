// One operator in the list, with what an admin changes about them: name, role, departments and
// capacity (in place), deactivation (their sessions and sockets stop at once, so it asks first) and a new
// password. An admin cannot deactivate or demote themselves here: that is how accounts lock out
// their last owner.
import { createSignal, Match, Show, Switch } from "solid-js";
import { announce } from "../components/live-region.tsx";
import { admin, type Department, type Operator } from "./admin-client.ts";
import { ConfirmButton } from "./confirm-button.tsx";
import { createAction, EditorActions, FormProblem, type Action } from "./forms.tsx";
import {
  chats,
  createOperatorAccess,
  NewPasswordField,
  OperatorAccessFields,
  ROLE_LABELS,
} from "./operator-fields.tsx";

type Mode = "view" | "edit" | "password";

export function OperatorRow(props: {
  operator: Operator;
  departments: readonly Department[];
  accountMaxChats: number | null;
  isMe: boolean;
  onSaved(operator: Operator): void;
}) {
  const [mode, setMode] = createSignal<Mode>("view");
  const action = createAction();
  let firstButton: HTMLButtonElement | undefined;
  const op = () => props.operator;
  const departmentNames = () =>
    op()
      .departmentIds.map((id) => props.departments.find((d) => d.id === id)?.name)
      .filter(Boolean)
      .join(", ") || "All chats (no department)";

  const open = (next: Mode) => {
    action.clear();
    setMode(next);
  };
  const close = () => {
    setMode("view");
    firstButton?.focus();
  };

  async function setActive(active: boolean) {
    const saved = await action.run(() => admin.operators.update(op().id, { active }));
    if (!saved) return;
    props.onSaved(saved.value);
    announce(active ? `${op().name} can sign in again.` : `${op().name} is deactivated and signed out everywhere.`);
  }

  return (
    <li
      class="cp-list-row cp-operator-row"
      classList={{ inactive: !op().active }}
      data-testid="cp-operator-row"
      data-id={op().id}
      data-active={String(op().active)}
    >
      <div class="cp-operator-summary">
        <span class="cp-list-name">
          {op().name}
          <Show when={props.isMe}> (you)</Show>
        </span>
        <span class="cp-muted">{op().email}</span>
        <span class="cp-badge">{ROLE_LABELS[op().role]}</span>
        <Show when={!op().active}>
          <span class="cp-badge warn">Deactivated</span>
        </Show>
        <Show when={!op().hasPassword}>
          <span class="cp-badge">Invited</span>
        </Show>
        <span class="cp-muted cp-operator-departments">{departmentNames()}</span>
        <Show when={op().maxChats}>
          {(most) => (
            <span class="cp-muted" data-testid="cp-operator-capacity">
              up to {chats(most())} at once
            </span>
          )}
        </Show>
      </div>
      <Switch>
        <Match when={mode() === "view"}>
          <span class="cp-row-actions">
            <button
              type="button"
              ref={firstButton}
              data-testid="cp-operator-edit"
              aria-label={`Edit ${op().name}`}
              onClick={() => open("edit")}
            >
              Edit
            </button>
            <button
              type="button"
              data-testid="cp-operator-reset-password"
              aria-label={`Set a new password for ${op().name}`}
              onClick={() => open("password")}
            >
              New password
            </button>
            <Show when={!props.isMe}>
              <Show
                when={op().active}
                fallback={
                  <button
                    type="button"
                    data-testid="cp-operator-reactivate"
                    disabled={action.busy()}
                    onClick={() => void setActive(true)}
                  >
                    Reactivate
                  </button>
                }
              >
                <ConfirmButton
                  label="Deactivate"
                  question={`Deactivate ${op().name}? They are signed out at once.`}
                  testid="cp-operator-deactivate"
                  disabled={action.busy()}
                  onConfirm={() => void setActive(false)}
                />
              </Show>
            </Show>
          </span>
        </Match>
        <Match when={mode() === "edit"}>
          <EditForm
            operator={op()}
            departments={props.departments}
            accountMaxChats={props.accountMaxChats}
            isMe={props.isMe}
            action={action}
            onSaved={(saved) => (props.onSaved(saved), close())}
            onCancel={close}
          />
        </Match>
        <Match when={mode() === "password"}>
          <PasswordForm operator={op()} action={action} onDone={close} />
        </Match>
      </Switch>
      <Show when={mode() === "view"}>
        <FormProblem problem={action.problem()} />
      </Show>
    </li>
  );
}

type FormProps = { operator: Operator; action: Action };

function EditForm(
  props: FormProps & {
    departments: readonly Department[];
    accountMaxChats: number | null;
    isMe: boolean;
    onSaved(operator: Operator): void;
    onCancel(): void;
  },
) {
  const access = createOperatorAccess(props.operator);
  const problem = () => props.action.problem();

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const common = { name: access.name(), departmentIds: access.departmentIds(), maxChats: access.maxChats() };
    const changes = props.isMe ? common : { ...common, role: access.role() };
    const saved = await props.action.run(() => admin.operators.update(props.operator.id, changes));
    if (saved) props.onSaved(saved.value);
  }

  return (
    <form
      class="cp-row-form"
      aria-label={`Edit ${props.operator.name}`}
      onSubmit={submit}
      onKeyDown={(e) => e.key === "Escape" && props.onCancel()}
    >
      <OperatorAccessFields
        access={access}
        departments={props.departments}
        accountMaxChats={props.accountMaxChats}
        problem={problem()}
        testid="cp-operator-edit"
        ownRole={props.isMe}
        nameRef={(input) => queueMicrotask(() => input.focus())}
      />
      <FormProblem problem={problem()} fields={["name", "role", "maxChats", "departmentIds"]} />
      <EditorActions busy={props.action.busy()} saveTestid="cp-operator-edit-save" onCancel={() => props.onCancel()} />
    </form>
  );
}

function PasswordForm(props: FormProps & { onDone(): void }) {
  const [password, setPassword] = createSignal("");
  const problem = () => props.action.problem();

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const done = await props.action.run(() => admin.operators.setPassword(props.operator.id, password()));
    if (!done) return;
    announce(`${props.operator.name} has a new password.`);
    props.onDone();
  }

  return (
    <form
      class="cp-row-form"
      aria-label={`New password for ${props.operator.name}`}
      onSubmit={submit}
      onKeyDown={(e) => e.key === "Escape" && props.onDone()}
    >
      <NewPasswordField
        label={`New password for ${props.operator.name}`}
        hint="At least 10 characters."
        password={[password, setPassword]}
        problem={problem()}
        testid="cp-operator-new-password"
        ref={(input) => queueMicrotask(() => input.focus())}
      />
      <FormProblem problem={problem()} fields={["password"]} />
      <EditorActions
        busy={props.action.busy()}
        saveTestid="cp-operator-password-save"
        saveLabel="Set password"
        onCancel={() => props.onDone()}
      />
    </form>
  );
}
