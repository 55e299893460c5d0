// "Choose your password": the page a sign-up invitation link (#/invitation/<token>) opens. It asks the
// server whom the invitation is for, lets the invitee choose a password and signs them in to the
// console. An invitation that can no longer be used says why, in words, with a way to sign-in.
// Loaded only when such a link is opened (app.tsx), so the console's own bundle does not carry it.
import { createSignal, Match, onMount, Show, Switch } from "solid-js";
import type { SignUpInvitationDetails } from "../../../shared/admin-api.ts";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../../../shared/passwords.ts";
import { api, ApiError } from "../api.ts";
import { Field } from "../control-panel/forms.tsx";
import { leaveSignUpInvitation } from "../control-panel/route.ts";
import { session, startSession } from "../session.ts";

/** Why an invitation cannot be used, for the invitee: what happened and what to do now. */
const UNUSABLE: Partial<Record<ApiError["code"], { title: string; text: string }>> = {
  invitation_used: {
    title: "This invitation has already been used",
    text: "A password was already chosen with this link. Sign in with your email and password. If you have forgotten your password, ask your administrator to set a new one.",
  },
  token_expired: {
    title: "This invitation has expired",
    text: "Invitation links work for 7 days. Ask your administrator to invite you again.",
  },
  token_invalid: {
    title: "This invitation link is not valid",
    text: "The link may be incomplete: check that you opened the whole link you were sent, or ask your administrator for a new invitation.",
  },
  invitation_revoked: {
    title: "This invitation was withdrawn",
    text: "The operator account it was for has been deactivated or removed. Ask your administrator if you should still have access.",
  },
};

/** The new password or its confirmation: the browser's password manager sees both as the new password. */
function NewPasswordInput(props: {
  name: string;
  value: string;
  onInput(value: string): void;
  testid: string;
  ref: HTMLInputElement | ((el: HTMLInputElement) => void);
}) {
  return (
    <input
      type="password"
      name={props.name}
      autocomplete="new-password"
      maxLength={PASSWORD_MAX_LENGTH}
      required
      value={props.value}
      onInput={(e) => props.onInput(e.currentTarget.value)}
      data-testid={props.testid}
      ref={props.ref}
    />
  );
}

const RULE = `At least ${PASSWORD_MIN_LENGTH} characters. A few words you will remember make a good one.`;

export default function SignUpInvitationPage(props: { token: string }) {
  const [details, setDetails] = createSignal<SignUpInvitationDetails | null>(null);
  const [failure, setFailure] = createSignal<ApiError | null>(null);
  onMount(async () => {
    try {
      setDetails(await api.lookupSignUpInvitation(props.token));
    } catch (error) {
      setFailure(
        error instanceof ApiError ? error : new ApiError(0, "internal", "Something went wrong. Please try again."),
      );
    }
  });
  const unusable = () => {
    const error = failure();
    return error && UNUSABLE[error.code] ? UNUSABLE[error.code]! : null;
  };
  /** A failure that is not the invitation's (the network, the server): worth another try. */
  const otherFailure = () => {
    const error = failure();
    return error && !UNUSABLE[error.code] ? error.message : null;
  };

  return (
    <main class="sign-in">
      <div class="sign-in-card sign-up-invitation-card" data-testid="invitation-page">
        <Switch>
          <Match when={unusable()}>
            {(reason) => (
              <>
                <h1 data-testid="invitation-unusable-title">{reason().title}</h1>
                <p data-testid="invitation-unusable">{reason().text}</p>
                <button
                  type="button"
                  class="primary"
                  data-testid="invitation-to-sign-in"
                  onClick={leaveSignUpInvitation}
                >
                  Go to sign-in
                </button>
              </>
            )}
          </Match>
          <Match when={details()}>
            {(invited) => (
              <PasswordForm token={props.token} name={invited().name} email={invited().email} onFailure={setFailure} />
            )}
          </Match>
          <Match when={otherFailure()}>
            {(message) => (
              <>
                <h1>Choose your password</h1>
                <p class="form-error" role="alert" data-testid="invitation-error">
                  {message()}
                </p>
                <button type="button" data-testid="invitation-retry" onClick={() => location.reload()}>
                  Try again
                </button>
                <button type="button" data-testid="invitation-to-sign-in" onClick={leaveSignUpInvitation}>
                  Go to sign-in
                </button>
              </>
            )}
          </Match>
          <Match when={!failure()}>
            <h1>Choose your password</h1>
            <p class="hint" role="status">
              Opening your invitation…
            </p>
          </Match>
        </Switch>
      </div>
    </main>
  );
}

function PasswordForm(props: { token: string; name: string; email: string; onFailure(error: ApiError): void }) {
  const [password, setPassword] = createSignal("");
  const [confirmation, setConfirmation] = createSignal("");
  const [errors, setErrors] = createSignal<{ password?: string; confirmation?: string }>({});
  const [problem, setProblem] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  let passwordInput!: HTMLInputElement;
  let confirmationInput!: HTMLInputElement;

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    setProblem(null);
    // A refusal takes the focus to its field, whose message is linked to it.
    if (password().length < PASSWORD_MIN_LENGTH)
      return void (
        setErrors({ password: `Your password needs at least ${PASSWORD_MIN_LENGTH} characters.` }),
        passwordInput.focus()
      );
    if (confirmation() !== password())
      return void (
        setErrors({ confirmation: "The two passwords are not the same. Type it again." }),
        confirmationInput.focus()
      );
    setErrors({});
    setBusy(true);
    try {
      const session = await api.acceptSignUpInvitation(props.token, password());
      startSession(session);
      leaveSignUpInvitation();
    } catch (error) {
      const failure =
        error instanceof ApiError ? error : new ApiError(0, "internal", "Something went wrong. Please try again.");
      const passwordIssue = failure.fields.find((f) => f.path === "password");
      if (passwordIssue) (setErrors({ password: passwordIssue.message }), passwordInput.focus());
      else if (UNUSABLE[failure.code]) props.onFailure(failure);
      else setProblem(failure.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} aria-labelledby="invitation-title" noValidate>
      <h1 id="invitation-title">Choose your password</h1>
      <p data-testid="invitation-greeting">
        Welcome to Parley, <strong>{props.name}</strong>. You were invited as <strong>{props.email}</strong>; choose a
        password to finish setting up your operator account.
      </p>
      <Show when={session()?.operator.email !== undefined && session()?.operator.email !== props.email}>
        <p class="notice" data-testid="invitation-other-session">
          This browser is signed in as {session()?.operator.name}. Choosing a password here signs you in as {props.name}{" "}
          instead.
        </p>
      </Show>
      {/* The browser's password manager files the new password under this email. */}
      <input type="hidden" name="username" autocomplete="username" value={props.email} />
      <Field label="New password" hint={RULE} errors={errors().password ? [errors().password!] : []}>
        <NewPasswordInput
          name="new-password"
          value={password()}
          onInput={setPassword}
          testid="invitation-password"
          ref={(el) => {
            passwordInput = el;
            queueMicrotask(() => el.focus());
          }}
        />
      </Field>
      <Field label="Type it again" errors={errors().confirmation ? [errors().confirmation!] : []}>
        <NewPasswordInput
          name="confirm-password"
          value={confirmation()}
          onInput={setConfirmation}
          testid="invitation-confirmation"
          ref={confirmationInput}
        />
      </Field>
      <Show when={problem()}>
        <p class="form-error" role="alert" data-testid="invitation-error">
          {problem()}
        </p>
      </Show>
      <button type="submit" class="primary" disabled={busy()} data-testid="invitation-submit">
        {busy() ? "Signing you in…" : "Set password and sign in"}
      </button>
    </form>
  );
}
