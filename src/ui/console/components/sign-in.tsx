// The sign-in page. After an expired session it says so, and reassures the operator that their
// drafts are still there: they come back with the tabs once the same operator signs in again.
import { createSignal, Show } from "solid-js";
import { api, ApiError } from "../api.ts";
import { sessionEnd, startSession } from "../session.ts";
import { readText, storageKeys } from "../storage.ts";

function describeFailure(error: unknown): string {
  if (!(error instanceof ApiError)) return "Signing in failed. Please try again.";
  if (error.code === "bad_credentials") return "That email and password do not match an active operator.";
  if (error.code === "validation_failed") return "Enter a valid email address and your password.";
  return error.message;
}

/** One required box of the form, named as its type is ("email", "password"). */
function LabelledInput(props: {
  label: string;
  type: "email" | "password";
  autocomplete: string;
  value: string;
  onInput(value: string): void;
  testid: string;
}) {
  return (
    <label class="field">
      <span>{props.label}</span>
      <input
        type={props.type}
        name={props.type}
        autocomplete={props.autocomplete}
        required
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        data-testid={props.testid}
      />
    </label>
  );
}

export function SignIn() {
  const [email, setEmail] = createSignal(readText(storageKeys.lastEmail));
  const [password, setPassword] = createSignal("");
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      startSession(await api.login(email().trim(), password()));
    } catch (failure) {
      setError(describeFailure(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="sign-in">
      <form class="sign-in-card" onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Parley</h1>
        <p class="sign-in-subtitle">Operator console</p>
        <Show when={sessionEnd() === "expired"}>
          <p class="notice" role="status" data-testid="session-expired">
            Your session has ended. Sign in again; your drafts and unsent messages are kept.
          </p>
        </Show>
        <Show when={sessionEnd() === "deactivated"}>
          <p class="notice" role="alert" data-testid="session-deactivated">
            You were signed out: an administrator of your team has deactivated your account. Ask them to reactivate it
            if this is a mistake.
          </p>
        </Show>
        <LabelledInput
          label="Email"
          type="email"
          autocomplete="username"
          value={email()}
          onInput={setEmail}
          testid="login-email"
        />
        <LabelledInput
          label="Password"
          type="password"
          autocomplete="current-password"
          value={password()}
          onInput={setPassword}
          testid="login-password"
        />
        <Show when={error()}>
          <p class="form-error" role="alert" data-testid="login-error">
            {error()}
          </p>
        </Show>
        <button type="submit" class="primary" disabled={busy()} data-testid="login-submit">
          {busy() ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
