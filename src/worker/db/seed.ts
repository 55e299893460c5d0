// Rows for a whole account (departments, operators, canned responses, an API key), built in one
// place for the demo seed of `npm start` and for the tests. Pure: returns rows, writes nothing.
import type { OperatorRole } from "../../shared/protocol.ts";
import { apiKeyDisplayPrefix, hashApiKey } from "../auth/api-keys.ts";
import { hashPassword } from "../auth/password.ts";
import type { accounts, apiKeys, cannedResponses, departments, operatorDepartments, operators } from "./schema.ts";

export type AccountSeedInput = {
  id: string;
  name: string;
  departments: { id: string; name: string }[];
  operators: { id: string; email: string; name: string; role: OperatorRole; password: string; departmentIds: string[] }[];
  apiKey: { id: string; name: string; secret: string };
};

export type AccountSeed = {
  accounts: (typeof accounts.$inferInsert)[];
  departments: (typeof departments.$inferInsert)[];
  operators: (typeof operators.$inferInsert)[];
  operatorDepartments: (typeof operatorDepartments.$inferInsert)[];
  cannedResponses: (typeof cannedResponses.$inferInsert)[];
  apiKeys: (typeof apiKeys.$inferInsert)[];
};

export async function buildAccountSeed(input: AccountSeedInput): Promise<AccountSeed> {
  const operatorRows = await Promise.all(
    input.operators.map(async (o) => ({
      id: o.id,
      accountId: input.id,
      email: o.email.toLowerCase(),
      name: o.name,
      role: o.role,
      passwordHash: await hashPassword(o.password),
    })),
  );
  const firstDepartment = input.departments[0];
  const firstOperator = input.operators[0];
  return {
    accounts: [{ id: input.id, name: input.name }],
    departments: input.departments.map((d) => ({ id: d.id, accountId: input.id, name: d.name })),
    operators: operatorRows,
    operatorDepartments: input.operators.flatMap((o) => o.departmentIds.map((departmentId) => ({ operatorId: o.id, departmentId }))),
    cannedResponses: [
      { id: `${input.id}_cr_hello`, accountId: input.id, level: "company", ownerId: null, title: "Greeting", text: "Hello! How can I help you today?", shortcut: "hello", position: 0 },
      { id: `${input.id}_cr_bye`, accountId: input.id, level: "company", ownerId: null, title: "Goodbye", text: "Thank you for chatting with us. Have a great day!", shortcut: "bye", position: 1 },
      ...(firstDepartment
        ? [{ id: `${input.id}_cr_dept`, accountId: input.id, level: "department" as const, ownerId: firstDepartment.id, title: `${firstDepartment.name} hours`, text: `${firstDepartment.name} is here Monday to Friday, 9:00 to 17:00.`, shortcut: "hours", position: 0 }]
        : []),
      ...(firstOperator
        ? [{ id: `${input.id}_cr_own`, accountId: input.id, level: "operator" as const, ownerId: firstOperator.id, title: "Checking", text: "Let me check that for you, one moment please.", shortcut: "check", position: 0 }]
        : []),
    ],
    apiKeys: [{ id: input.apiKey.id, accountId: input.id, name: input.apiKey.name, keyHash: await hashApiKey(input.apiKey.secret), prefix: apiKeyDisplayPrefix(input.apiKey.secret) }],
  };
}

/** Tables in an order that satisfies the foreign keys. */
export const seedTableOrder = ["accounts", "departments", "operators", "operatorDepartments", "cannedResponses", "apiKeys"] as const;
