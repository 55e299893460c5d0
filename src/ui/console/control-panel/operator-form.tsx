// Adding an operator: with a password the admin passes on, or (the default) with a sign-up
// invitation: a link to the console where the new operator chooses their own password and is
// signed in. The link is shown here once and never again.
import { createSignal, Show } from "solid-js";
import { announce } from "../components/live-region.tsx";
import { admin, type Department, type NewOperator, type Operator } from "./admin-client.ts";
import { createAction, errorsFor, Field, FormProblem } from "./forms.tsx";
import { OnceSecret } from "./once-secret.tsx";
import { createOperatorAccess, NewPasswordField, OperatorAccessFields } from "./operator-fields.tsx";
import { signUpInvitationLink } from "./route.ts";

const FIELDS = ["email", "name", "role", "maxChats", "departmentIds", "password"] as const;

export function OperatorForm(props: {
  departments: readonly Department[];
  accountMaxChats: number | null;
  onCreated(operator: Operator): void;
}) {
  const [email, setEmail] = createSignal("");
  const access = createOperatorAccess({ name: "", role: "operator", departmentIds: [], maxChats: null });
  const [withPassword, setWithPassword] = createSignal(false);
  const [password, setPassword] = createSignal("");
  const [signUpInvitation, setSignUpInvitation] = createSignal<{
    name: string;
    email: string;
    link: string;
    expiresAt: number;
  } | null>(null);
  const action = createAction();
  const problem = () => action.problem();

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const body: NewOperator = {
      email: email(),
      name: access.name(),
      role: access.role(),
      departmentIds: access.departmentIds(),
      maxChats: access.maxChats(),
    };
    if (withPassword()) body.password = password();
    const created = await action.run(() => admin.operators.create(body));
    if (!created) return;
    const { operator, invitation: invited } = created.value;
    props.onCreated(operator);
    setSignUpInvitation(
      invited
        ? {
            name: operator.name,
            email: operator.email,
            link: signUpInvitationLink(invited.token),
            expiresAt: invited.expiresAt,
          }
        : null,
    );
    setEmail("");
    access.setName("");
    setPassword("");
    access.setDepartmentIds([]);
    access.setCapacity("");
    announce(
      invited
        ? `Added ${operator.name}. Copy the invitation link now: it is shown only once.`
        : `Added ${operator.name}.`,
    );
  }

  return (
    <form class="cp-card" aria-labelledby="cp-operator-form-title" onSubmit={submit}>
      <h3 id="cp-operator-form-title">New operator</h3>
      <Show when={signUpInvitation()}>
        {(invited) => (
          <OnceSecret
            label={`Invitation link for ${invited().name}`}
            value={invited().link}
            note={`Send this link to ${invited().name} (${invited().email}). Opening it, they choose their password and are signed in. It works once, until ${new Date(invited().expiresAt).toLocaleString()}, and is shown only now.`}
            testid="cp-invitation"
            onDone={() => setSignUpInvitation(null)}
          />
        )}
      </Show>
      <OperatorAccessFields
        access={access}
        departments={props.departments}
        accountMaxChats={props.accountMaxChats}
        problem={problem()}
        testid="cp-operator"
      >
        <Field label="Email" errors={errorsFor(problem(), "email")}>
          <input
            type="email"
            autocomplete="off"
            data-testid="cp-operator-email"
            required
            value={email()}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </Field>
      </OperatorAccessFields>
      <fieldset class="cp-radios">
        <legend>First sign-in</legend>
        <label>
          <input
            type="radio"
            name="cp-operator-access"
            data-testid="cp-operator-invite"
            checked={!withPassword()}
            onChange={() => setWithPassword(false)}
          />
          Create an invitation: the operator chooses their password
        </label>
        <label>
          <input
            type="radio"
            name="cp-operator-access"
            data-testid="cp-operator-with-password"
            checked={withPassword()}
            onChange={() => setWithPassword(true)}
          />
          Set a password now
        </label>
      </fieldset>
      <Show when={withPassword()}>
        <NewPasswordField
          label="Password"
          hint="At least 10 characters. Pass it on safely; the operator can be given a new one at any time."
          password={[password, setPassword]}
          problem={problem()}
          testid="cp-operator-password"
        />
      </Show>
      <FormProblem problem={problem()} fields={FIELDS} />
      <div class="cp-form-actions">
        <button type="submit" class="primary" data-testid="cp-operator-save" disabled={action.busy()}>
          Add operator
        </button>
      </div>
    </form>
  );
}
