// What an admin sets about an operator both when adding one and when editing one: name, role,
// departments and how many chats routing gives them at once; and the password one is given, new
// or instead of their old one.
import { createSignal, For, type JSX, type Signal } from "solid-js";
import { operatorRoles, type OperatorRole } from "../../../shared/protocol.ts";
import type { ApiError } from "../api.ts";
import { MOST_CHATS, type Department } from "./admin-client.ts";
import { DepartmentCheckboxes } from "./department-checkboxes.tsx";
import { errorsFor, Field, numberOf } from "./forms.tsx";

export const ROLE_LABELS: Record<OperatorRole, string> = { owner: "Owner", admin: "Admin", operator: "Operator" };

/** Name, role, departments and capacity as OperatorAccessFields edits them, starting from `start`.
 * The capacity is the text typed (empty: the account's default); `maxChats()` reads it as the API
 * takes it. */
export function createOperatorAccess(start: {
  name: string;
  role: OperatorRole;
  departmentIds: readonly string[];
  maxChats: number | null;
}) {
  const [name, setName] = createSignal(start.name);
  const [role, setRole] = createSignal(start.role);
  const [departmentIds, setDepartmentIds] = createSignal([...start.departmentIds]);
  const [capacity, setCapacity] = createSignal(start.maxChats === null ? "" : String(start.maxChats));
  const maxChats = () => numberOf(capacity());
  return { name, setName, role, setRole, departmentIds, setDepartmentIds, capacity, setCapacity, maxChats };
}

/** What an operator without a capacity of their own gets: the account's default (Settings). */
const defaultCapacity = (accountDefault: number | null) =>
  `the account's default (${accountDefault === null ? "no limit" : chats(accountDefault)}, set in Settings)`;
export const chats = (n: number) => (n === 1 ? "1 chat" : `${n} chats`);

export type OperatorAccess = ReturnType<typeof createOperatorAccess>;

/** Name and role in a row, then the departments and the capacity. Their data-testids are `testid`
 * followed by "-name", "-role", "-departments" and "-max-chats". */
export function OperatorAccessFields(props: {
  access: OperatorAccess;
  departments: readonly Department[];
  problem: ApiError | null;
  testid: string;
  /** The account's capacity for operators without one of their own (Settings); null: no limit. */
  accountMaxChats: number | null;
  /** Shown disabled, with a hint why: nobody changes their own role. */
  ownRole?: boolean;
  /** Given the name's input once it exists. */
  nameRef?(input: HTMLInputElement): void;
  /** Fields shown first in the row (the new operator's email). */
  children?: JSX.Element;
}) {
  const { name, setName, role, setRole, departmentIds, setDepartmentIds, capacity, setCapacity } = props.access;
  return (
    <>
      <div class="cp-row">
        {props.children}
        <Field label="Name" errors={errorsFor(props.problem, "name")}>
          <input
            data-testid={`${props.testid}-name`}
            required
            maxLength={100}
            value={name()}
            onInput={(e) => setName(e.currentTarget.value)}
            ref={(input) => props.nameRef?.(input)}
          />
        </Field>
        <Field
          label="Role"
          hint={props.ownRole ? "You cannot change your own role." : undefined}
          errors={errorsFor(props.problem, "role")}
        >
          <select
            data-testid={`${props.testid}-role`}
            disabled={props.ownRole}
            value={role()}
            onChange={(e) => setRole(e.currentTarget.value as OperatorRole)}
          >
            <For each={operatorRoles}>{(r) => <option value={r}>{ROLE_LABELS[r]}</option>}</For>
          </select>
        </Field>
      </div>
      <DepartmentCheckboxes
        departments={props.departments}
        chosen={departmentIds()}
        onChange={setDepartmentIds}
        errors={errorsFor(props.problem, "departmentIds")}
        testid={`${props.testid}-departments`}
      />
      <Field
        label="Most chats at once"
        class="cp-number"
        hint={`How many chats routing gives them at once, 1 to ${MOST_CHATS}. Empty: ${defaultCapacity(props.accountMaxChats)}.`}
        errors={errorsFor(props.problem, "maxChats")}
      >
        <input
          type="number"
          inputMode="numeric"
          data-testid={`${props.testid}-max-chats`}
          placeholder="Account default"
          value={capacity()}
          onInput={(e) => setCapacity(e.currentTarget.value)}
        />
      </Field>
    </>
  );
}

/** A password an admin gives an operator: at least 10 characters, as the API asks. */
export function NewPasswordField(props: {
  label: string;
  hint: string;
  password: Signal<string>;
  problem: ApiError | null;
  testid: string;
  ref?(input: HTMLInputElement): void;
}) {
  const [password, setPassword] = props.password;
  return (
    <Field label={props.label} hint={props.hint} errors={errorsFor(props.problem, "password")}>
      <input
        type="password"
        autocomplete="new-password"
        data-testid={props.testid}
        required
        minLength={10}
        value={password()}
        onInput={(e) => setPassword(e.currentTarget.value)}
        ref={(input) => props.ref?.(input)}
      />
    </Field>
  );
}
