// `window.Parley`: the host page's handle on the widget. Calls made before widget.js arrived sit
// in the stub's queue (docs/widget.md has the stub) and are replayed here in order.
import type { Identity, WidgetEventName } from "./contract.ts";
import type { Texts } from "./texts.ts";

type ParleyApi = {
  open(): void;
  close(): void;
  identify(identity: Identity): void;
  on(event: WidgetEventName, listener: (detail?: unknown) => void): void;
  setTexts(texts: Partial<Texts>): void;
};

type Stub = { q?: [keyof ParleyApi, unknown[]][] };

export function createEmitter() {
  const listeners: Record<string, ((detail?: unknown) => void)[]> = {};
  return {
    on(event: WidgetEventName, listener: (detail?: unknown) => void) {
      if (typeof listener === "function") (listeners[event] ??= []).push(listener);
    },
    emit(event: WidgetEventName, detail?: unknown) {
      for (const listener of listeners[event] ?? []) {
        // A host page's listener that throws must not take the widget down with it.
        try {
          listener(detail);
        } catch (error) {
          console.error("Parley: an event listener failed", error);
        }
      }
    },
  };
}

/** Installs the API on window and replays the stub's queued calls. */
export function installApi(api: ParleyApi): void {
  const stub = (window as { Parley?: Stub }).Parley;
  (window as { Parley?: unknown }).Parley = api;
  for (const [method, args] of Array.isArray(stub?.q) ? stub.q : []) {
    try {
      (api[method] as (...a: unknown[]) => void)?.(...args);
    } catch (error) {
      console.error("Parley: a queued call failed", error);
    }
  }
}
