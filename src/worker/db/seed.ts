// Rows for a whole account (departments, operators, canned responses, an API key), built in one
// place for the demo seed of `npm start` and for the tests. Pure: returns rows, writes nothing.
import type { CannedLevel, OperatorRole } from "../../shared/protocol.ts";
import { apiKeyDisplayPrefix, hashApiKey } from "../auth/api-keys.ts";
import { hashPassword } from "../auth/password.ts";
import type {
  accounts,
  apiKeys,
  cannedResponses,
  departments,
  operatorDepartments,
  operators,
} from "../../server/db/schema.ts";

type AccountSeedInput = {
  id: string;
  name: string;
  departments: { id: string; name: string }[];
  operators: {
    id: string;
    email: string;
    name: string;
    role: OperatorRole;
    password: string;
    departmentIds: string[];
  }[];
  apiKey: { id: string; name: string; secret: string };
  /** Adds a few canned responses at each level, for a demo account. */
  withSampleResponses?: boolean;
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
  return {
    accounts: [{ id: input.id, name: input.name }],
    departments: input.departments.map((d) => ({ id: d.id, accountId: input.id, name: d.name })),
    operators: operatorRows,
    operatorDepartments: input.operators.flatMap((o) =>
      o.departmentIds.map((departmentId) => ({ operatorId: o.id, departmentId })),
    ),
    cannedResponses: input.withSampleResponses ? sampleResponses(input) : [],
    apiKeys: [
      {
        id: input.apiKey.id,
        accountId: input.id,
        name: input.apiKey.name,
        keyHash: await hashApiKey(input.apiKey.secret),
        prefix: apiKeyDisplayPrefix(input.apiKey.secret),
      },
    ],
  };
}

/** One or two canned responses at each level: company, the first department, the first operator. */
function sampleResponses(input: AccountSeedInput): AccountSeed["cannedResponses"] {
  const row = (
    key: string,
    level: CannedLevel,
    ownerId: string | null,
    title: string,
    text: string,
    shortcut: string,
    position = 0,
  ) => ({
    id: `${input.id}_cr_${key}`,
    accountId: input.id,
    level,
    ownerId,
    title,
    text,
    shortcut,
    position,
  });
  const department = input.departments[0];
  const operator = input.operators[0];
  return [
    row("hello", "company", null, "Greeting", "Hello! How can I help you today?", "hello"),
    row("bye", "company", null, "Goodbye", "Thank you for chatting with us. Have a great day!", "bye", 1),
    ...(department
      ? [
          row(
            "dept",
            "department",
            department.id,
            `${department.name} hours`,
            `${department.name} is here Monday to Friday, 9:00 to 17:00.`,
            "hours",
          ),
        ]
      : []),
    ...(operator
      ? [row("own", "operator", operator.id, "Checking", "Let me check that for you, one moment please.", "check")]
      : []),
  ];
}

/** Tables in an order that satisfies the foreign keys. */
export const seedTableOrder = [
  "accounts",
  "departments",
  "operators",
  "operatorDepartments",
  "cannedResponses",
  "apiKeys",
] as const;
