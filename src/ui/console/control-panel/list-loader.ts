// What a page shows, loaded from the API: kept in a signal the page can also update in place
// after its own changes (so a save does not reload everything), with the load's problem shown
// instead of the list when it failed.
import { createSignal, onMount, type Accessor } from "solid-js";
import { ApiError } from "../api.ts";

export type Loaded<T> = {
  value: Accessor<T | undefined>;
  set(value: T): void;
  problem: Accessor<ApiError | null>;
  reload(): Promise<void>;
};

export function loadOnMount<T>(fetch: () => Promise<T>): Loaded<T> {
  const [value, setValue] = createSignal<T>();
  const [problem, setProblem] = createSignal<ApiError | null>(null);
  async function reload() {
    try {
      const next = await fetch();
      setValue(() => next);
      setProblem(null);
    } catch (error) {
      setProblem(error instanceof ApiError ? error : new ApiError(0, "internal", String(error)));
    }
  }
  onMount(() => void reload());
  return { value, set: (next) => setValue(() => next), problem, reload };
}
