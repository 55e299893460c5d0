// Signed in or not: the whole app is one of two pages. A new session (another sign-in) gets a
// fresh console, so nothing of the previous one's sockets or state survives into it.
import { Show } from "solid-js";
import { Console } from "./components/console.tsx";
import { SignIn } from "./components/sign-in.tsx";
import { session } from "./session.ts";

export function App() {
  return (
    <Show when={session()} keyed fallback={<SignIn />}>
      {(current) => <Console session={current} />}
    </Show>
  );
}
