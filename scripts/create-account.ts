// `npm run account:create -- --name "Acme" --owner-email you@acme.com [--owner-name "You"] [--remote]`
// Creates an account with its owner operator and a first API key (an owner key created by no
// operator: createdBy null) in D1 (local by default, the deployed database with --remote), and
// prints the owner's password and the key once.
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ulid } from "ulid";
import * as v from "valibot";
import { singleLine } from "../src/shared/protocol.ts";
import { generateApiKey } from "../src/worker/auth/api-keys.ts";
import { buildAccountSeed } from "../src/worker/db/seed.ts";
import { seedSql, wrangler } from "./local-dev.ts";

const { values } = parseArgs({
  options: {
    name: { type: "string" },
    "owner-email": { type: "string" },
    "owner-name": { type: "string" },
    "owner-password": { type: "string" },
    remote: { type: "boolean", default: false },
  },
});

const Input = v.object({
  name: v.pipe(v.string("--name is required"), singleLine("--name"), v.trim(), v.minLength(1), v.maxLength(100)),
  ownerName: v.optional(v.pipe(v.string(), singleLine("--owner-name"), v.trim(), v.minLength(1), v.maxLength(100))),
  email: v.pipe(v.string("--owner-email is required"), v.trim(), v.email("--owner-email must be an email address")),
  password: v.pipe(v.string(), v.minLength(10, "--owner-password needs at least 10 characters")),
});
const parsed = v.safeParse(Input, {
  name: values.name,
  ownerName: values["owner-name"],
  email: values["owner-email"],
  password: values["owner-password"] ?? randomBytes(12).toString("base64url"),
});
if (!parsed.success) {
  console.error(`account:create: ${parsed.issues.map((issue) => issue.message).join("; ")}`);
  process.exit(2);
}
const { name, ownerName, email, password } = parsed.output;
const accountId = `acc_${ulid()}`;
const apiKey = generateApiKey();
const seed = await buildAccountSeed({
  id: accountId,
  name,
  departments: [],
  operators: [
    { id: `op_${ulid()}`, email, name: ownerName ?? email.split("@")[0]!, role: "owner", password, departmentIds: [] },
  ],
  apiKey: { id: `key_${ulid()}`, name: "First admin key", secret: apiKey },
});
const file = join(tmpdir(), `parley-account-${process.pid}.sql`);
writeFileSync(file, await seedSql(seed));
wrangler(["d1", "execute", "DB", values.remote ? "--remote" : "--local", "--file", file], false);
console.log(`
Account: ${name} (${accountId})
Owner: ${email} / ${password}
Admin API key: ${apiKey}
Keep these now: the password and key are stored only as hashes.`);
