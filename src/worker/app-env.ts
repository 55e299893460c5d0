// What every route's context holds: the bindings, and who is asking once a guard decided it.
import type { Principal } from "./auth/principal.ts";

export type AppEnv = { Bindings: Env; Variables: { principal: Principal } };
