// The account's tags. Names are unique in the account whatever their case, and an account has at
// most MAX_TAGS_PER_ACCOUNT. Deleting a tag takes it off every chat: D1's chat_tags by its
// foreign key's cascade, each chat's room the next time it reads its tags (durable/chat-tags.ts).
import { and, eq } from "drizzle-orm";
import { Hono } from "hono/tiny";
import { ulid } from "ulid";
import { PageQuery, pageOf } from "../../../shared/admin-api.ts";
import { MAX_TAGS_PER_ACCOUNT, Tag, TagCreate, TagUpdate } from "../../../shared/tags.ts";
import { database, isUniqueViolation } from "../../../server/db/index.ts";
import { tags } from "../../../server/db/schema.ts";
import { fieldProblem, ProblemError } from "../../../server/problems.ts";
import { validate } from "../../http.ts";
import type { AppEnv } from "../../app-env.ts";
import { configChanged } from "./live.ts";
import { describe } from "./openapi.ts";
import { pageWindow } from "./pagination.ts";

const columns = { id: tags.id, name: tags.name, createdAt: tags.createdAt };
const NOT_FOUND = "There is no such tag in this account.";
const DUPLICATE_409 = "A tag of that name, in any case, exists (`conflict`, `fields` naming `name`).";

function mine(accountId: string, id: string) {
  return and(eq(tags.accountId, accountId), eq(tags.id, id));
}

function taken(name: string): ProblemError {
  return fieldProblem(409, "conflict", "name", `The account already has the tag “${name}” (capitals do not count).`);
}

/** Refuses `name` if another tag of the account (not `self`) has it in any case. Read in full: an
 * account has at most MAX_TAGS_PER_ACCOUNT, and SQLite's lower() folds ASCII only. */
async function requireFreeName(db: D1Database, accountId: string, name: string, self?: string) {
  const all = await database(db).select(columns).from(tags).where(eq(tags.accountId, accountId));
  const folded = name.toLocaleLowerCase();
  const clash = all.find((tag) => tag.id !== self && tag.name.toLocaleLowerCase() === folded);
  if (clash) throw taken(clash.name);
  return all;
}

/** Two requests at once may both pass requireFreeName; the unique index stops the second. */
function duplicateName(name: string) {
  return (error: unknown): never => {
    if (isUniqueViolation(error)) throw taken(name);
    throw error;
  };
}

export const tagRoutes = new Hono<AppEnv>()
  .get(
    "/tags",
    describe(
      API_DOCS && {
        id: "listTags",
        tag: "Tags",
        summary: "List tags",
        input: "query",
        ok: { status: 200, description: "A page of tags, oldest first.", schema: pageOf(Tag) },
      },
    ),
    validate("query", PageQuery),
    async (c) => {
      const window = pageWindow(tags.id, c.req.valid("query"));
      const rows = await database(c.env.DB)
        .select(columns)
        .from(tags)
        .where(and(eq(tags.accountId, c.var.principal.accountId), window.where))
        .orderBy(window.orderBy)
        .limit(window.limit);
      return c.json(window.page(rows, (row) => row));
    },
  )
  .post(
    "/tags",
    describe(
      API_DOCS && {
        id: "createTag",
        tag: "Tags",
        summary: "Create a tag",
        input: "body",
        ok: { status: 201, description: "The new tag.", schema: Tag },
        errors: { 409: `${DUPLICATE_409} Or the account has ${MAX_TAGS_PER_ACCOUNT} tags, the most it may.` },
      },
    ),
    validate("json", TagCreate),
    async (c) => {
      const accountId = c.var.principal.accountId;
      const { name } = c.req.valid("json");
      const all = await requireFreeName(c.env.DB, accountId, name);
      if (all.length >= MAX_TAGS_PER_ACCOUNT)
        throw new ProblemError(
          409,
          "conflict",
          `The account has ${MAX_TAGS_PER_ACCOUNT} tags, the most it may; delete one first.`,
        );
      const row = await database(c.env.DB)
        .insert(tags)
        .values({ id: `tag_${ulid()}`, accountId, name })
        .returning(columns)
        .get()
        .catch(duplicateName(name));
      await configChanged(c.env, accountId, "tags");
      return c.json(row satisfies Tag, 201);
    },
  )
  .patch(
    "/tags/:id",
    describe(
      API_DOCS && {
        id: "updateTag",
        tag: "Tags",
        summary: "Rename a tag",
        input: "body",
        ok: { status: 200, description: "The tag as it is now.", schema: Tag },
        errors: { 404: true, 409: DUPLICATE_409 },
      },
    ),
    validate("json", TagUpdate),
    async (c) => {
      const accountId = c.var.principal.accountId;
      const id = c.req.param("id");
      const { name } = c.req.valid("json");
      const all = await requireFreeName(c.env.DB, accountId, name, id);
      if (!all.some((tag) => tag.id === id)) throw new ProblemError(404, "not_found", NOT_FOUND);
      const row = await database(c.env.DB)
        .update(tags)
        .set({ name })
        .where(mine(accountId, id))
        .returning(columns)
        .get()
        .catch(duplicateName(name));
      if (!row) throw new ProblemError(404, "not_found", NOT_FOUND);
      await configChanged(c.env, accountId, "tags");
      return c.json(row satisfies Tag);
    },
  )
  .delete(
    "/tags/:id",
    describe(
      API_DOCS && {
        id: "deleteTag",
        tag: "Tags",
        summary: "Delete a tag",
        description: "It comes off every chat that has it; no chat keeps a deleted tag.",
        ok: { status: 204, description: "Deleted." },
        errors: { 404: true },
      },
    ),
    async (c) => {
      const gone = await database(c.env.DB)
        .delete(tags)
        .where(mine(c.var.principal.accountId, c.req.param("id")))
        .returning({ id: tags.id })
        .get();
      if (!gone) throw new ProblemError(404, "not_found", NOT_FOUND);
      await configChanged(c.env, c.var.principal.accountId, "tags");
      return c.body(null, 204);
    },
  );
