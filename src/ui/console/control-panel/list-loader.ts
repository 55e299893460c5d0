// What a page shows, loaded from the API: kept in a signal the page can also update in place
// after its own changes (so a save does not reload everything), with the load's problem shown
// instead of the list when it failed.
import { createSignal, onMount, type Accessor } from "solid-js";
import { ApiError } from "../api.ts";

export type Loaded<T> = {
  value: Accessor<T | undefined>;
  set(value: T): void;
  problem: Accessor<ApiError | null>;
  /** Fetches again. `stillWanted` is asked when the answer arrives: a page whose own changes
   * overtook the fetch drops the stale answer instead of showing an older list. */
  reload(stillWanted?: () => boolean): Promise<boolean>;
};

export function loadOnMount<T>(fetch: () => Promise<T>): Loaded<T> {
  const [value, setValue] = createSignal<T>();
  const [problem, setProblem] = createSignal<ApiError | null>(null);
  async function reload(stillWanted?: () => boolean) {
    try {
      const next = await fetch();
      if (stillWanted && !stillWanted()) return false;
      setValue(() => next);
      setProblem(null);
      return true;
    } catch (error) {
      setProblem(error instanceof ApiError ? error : new ApiError(0, "internal", String(error)));
      return false;
    }
  }
  onMount(() => void reload());
  return { value, set: (next) => setValue(() => next), problem, reload };
}
