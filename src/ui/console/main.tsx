// The operator console is built in the console issue; until then this page says so plainly
// and shows whether the backend it will talk to is up.
import { createResource } from "solid-js";
import { render } from "solid-js/web";

function Placeholder() {
  const [health] = createResource(async () => (await fetch("/api/health")).ok);
  return (
    <main style={{ font: "16px system-ui, sans-serif", margin: "3rem auto", "max-width": "36rem" }}>
      <h1>Parley</h1>
      <p>The operator console is not built yet. The chat backend's API and WebSockets are described in docs/protocol.md.</p>
      <p>Backend: {health.loading ? "checking…" : health() ? "up" : "not answering"}</p>
    </main>
  );
}

render(() => <Placeholder />, document.getElementById("root")!);
