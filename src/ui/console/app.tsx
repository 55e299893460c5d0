// Signed in or not: the whole app is one of two pages — or, for a sign-up invitation link
// (#/invitation/<token>), the page where an invited operator chooses their password, whether or
// not someone is signed in in this browser. A new session (another sign-in) gets a fresh console,
// so nothing of the previous one's sockets or state survives into it.
import { lazy, Match, Show, Suspense, Switch } from "solid-js";
import { Console } from "./components/console.tsx";
import { SignIn } from "./components/sign-in.tsx";
import { route } from "./control-panel/route.ts";
import { session } from "./session.ts";

/** Opened once per operator, so it is not part of the console's own bundle. */
const SignUpInvitationPage = lazy(() => import("./components/sign-up-invitation-page.tsx"));

export function App() {
  const signUpToken = () => {
    const current = route();
    return current.kind === "sign-up-invitation" ? current.token : null;
  };
  return (
    <Switch>
      <Match when={signUpToken() !== null}>
        <Suspense>
          <SignUpInvitationPage token={signUpToken() ?? ""} />
        </Suspense>
      </Match>
      <Match when={true}>
        <Show when={session()} keyed fallback={<SignIn />}>
          {(current) => <Console session={current} />}
        </Show>
      </Match>
    </Switch>
  );
}
