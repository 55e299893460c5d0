// The Canned Responses page's list, as the manual describes the levels: the company's responses,
// then each department's, then each operator's. A group is one level and owner; its order is what
// the console's bar shows and what the up/down buttons change.
import type { CannedLevel, CannedResponse } from "../../../shared/protocol.ts";
import type { Department, Operator } from "./admin-client.ts";

export type CannedGroup = {
  key: string;
  level: CannedLevel;
  ownerId: string | null;
  name: string;
  items: CannedResponse[];
};

export const LEVEL_LABELS: Record<CannedLevel, string> = {
  company: "Company",
  department: "Department",
  operator: "Operator",
};

const groupKey = (level: CannedLevel, ownerId: string | null) => `${level}:${ownerId ?? ""}`;

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

/** The company group always (it is where most teams start), then only the departments and
 * operators that have responses, by name: an account with forty operators should not get forty
 * empty headings. */
export function groupResponses(
  responses: readonly CannedResponse[],
  departments: readonly Department[],
  operators: readonly Operator[],
): CannedGroup[] {
  const groups = new Map<string, CannedGroup>();
  const nameOf = (level: CannedLevel, ownerId: string | null): string => {
    if (level === "company") return "Company";
    const owner =
      level === "department" ? departments.find((d) => d.id === ownerId) : operators.find((o) => o.id === ownerId);
    return owner?.name ?? `Unknown ${level}`;
  };
  groups.set(groupKey("company", null), {
    key: groupKey("company", null),
    level: "company",
    ownerId: null,
    name: "Company",
    items: [],
  });
  for (const response of responses) {
    const key = groupKey(response.level, response.ownerId);
    let group = groups.get(key);
    if (!group) {
      group = {
        key,
        level: response.level,
        ownerId: response.ownerId,
        name: nameOf(response.level, response.ownerId),
        items: [],
      };
      groups.set(key, group);
    }
    group.items.push(response);
  }
  const all = [...groups.values()];
  for (const group of all) group.items.sort((a, b) => a.position - b.position);
  const ofLevel = (level: CannedLevel) => all.filter((g) => g.level === level).sort(byName);
  return [...ofLevel("company"), ...ofLevel("department"), ...ofLevel("operator")];
}

/** The group's ids with one moved by `delta` places, or null when it is already at that end. */
export function movedIds(group: CannedGroup, id: string, delta: -1 | 1): string[] | null {
  const ids = group.items.map((r) => r.id);
  const from = ids.indexOf(id);
  const to = from + delta;
  if (from < 0 || to < 0 || to >= ids.length) return null;
  [ids[from], ids[to]] = [ids[to]!, ids[from]!];
  return ids;
}

/** `responses` with one group's items in the order of `ids` (positions renumbered), for showing
 * a reorder at once while the server stores it. */
export function withOrder(
  responses: readonly CannedResponse[],
  group: CannedGroup,
  ids: readonly string[],
): CannedResponse[] {
  const position = new Map(ids.map((id, index) => [id, index]));
  return responses.map((r) =>
    groupKey(r.level, r.ownerId) === group.key && position.has(r.id) ? { ...r, position: position.get(r.id)! } : r,
  );
}
