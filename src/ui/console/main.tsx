// Entry point of the operator console (served from dist/ui by the Worker's static assets).
import { render } from "solid-js/web";
import { App } from "./app.tsx";

render(() => <App />, document.getElementById("root")!);
