// Route guards: each authenticates the request (principal.ts) and lets it on only for the kind of
// caller the route is for, storing who it is in the context for the handler.
import { createMiddleware } from "hono/factory";
import { ProblemError } from "../../server/problems.ts";
import type { AppEnv } from "../app-env.ts";
import { adminRoleOf, authenticate, type OperatorPrincipal, type PrincipalKind } from "./principal.ts";

/** Requires one of the given kinds of principal and stores it as `c.var.principal`. */
export function requirePrincipal(...kinds: PrincipalKind[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const principal = await authenticate(c.req.raw, c.env);
    if (!kinds.includes(principal.kind)) {
      throw new ProblemError(403, "forbidden", `This needs a ${kinds.join(" or ")} token.`);
    }
    c.set("principal", principal);
    await next();
  });
}

/** Requires a signed-in operator, stored as `c.var.operator` (typed as one, so handlers need no
 * check of their own) and as `c.var.principal`. */
export const requireOperator = createMiddleware<{
  Bindings: Env;
  Variables: AppEnv["Variables"] & { operator: OperatorPrincipal };
}>(async (c, next) => {
  const principal = await authenticate(c.req.raw, c.env);
  if (principal.kind !== "operator") throw new ProblemError(403, "forbidden", "This needs an operator token.");
  c.set("principal", principal);
  c.set("operator", principal);
  await next();
});

/** Admin access: an API key of the account, or a signed-in owner or admin. */
export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const principal = await authenticate(c.req.raw, c.env);
  if (adminRoleOf(principal) === null)
    throw new ProblemError(403, "forbidden", "This needs an admin API key or an owner or admin operator.");
  c.set("principal", principal);
  await next();
});
