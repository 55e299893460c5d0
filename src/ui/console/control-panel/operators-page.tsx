// The Operators page: everyone who can sign in to the console (and those who no longer can), and
// the form to add one.
import { For, Show } from "solid-js";
import type { OperatorProfile } from "../../../shared/protocol.ts";
import { admin, type Department, type Operator } from "./admin-client.ts";
import { WhenLoaded } from "./forms.tsx";
import { loadOnMount } from "./list-loader.ts";
import { OperatorForm } from "./operator-form.tsx";
import { OperatorRow } from "./operator-row.tsx";

type Data = { operators: Operator[]; departments: Department[]; accountMaxChats: number | null };

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

export function OperatorsPage(props: { me: OperatorProfile }) {
  const data = loadOnMount<Data>(async () => {
    const [operators, departments, settings] = await Promise.all([
      admin.operators.list(),
      admin.departments.list(),
      admin.settings.get(),
    ]);
    return {
      operators: operators.sort(byName),
      departments: departments.sort(byName),
      accountMaxChats: settings.maxChatsPerOperator,
    };
  });
  const setOperators = (change: (all: Operator[]) => Operator[]) => {
    const d = data.value();
    if (d) data.set({ ...d, operators: change(d.operators).sort(byName) });
  };
  const find = (id: string) => data.value()?.operators.find((o) => o.id === id);

  return (
    <section class="cp-page" data-testid="cp-operators" aria-labelledby="cp-operators-heading">
      <h2 id="cp-operators-heading" tabIndex={-1}>
        Operators
      </h2>
      <WhenLoaded value={data.value()} problem={data.problem()}>
        {(d) => (
          <>
            <OperatorForm
              departments={d().departments}
              accountMaxChats={d().accountMaxChats}
              onCreated={(created) => setOperators((all) => [...all, created])}
            />
            <ul class="cp-list">
              {/* By id, so a saved row stays the same element and keeps the keyboard focus. */}
              <For each={d().operators.map((o) => o.id)}>
                {(id) => (
                  <Show when={find(id)}>
                    {(operator) => (
                      <OperatorRow
                        operator={operator()}
                        departments={d().departments}
                        accountMaxChats={d().accountMaxChats}
                        isMe={id === props.me.id}
                        onSaved={(saved) => setOperators((all) => all.map((o) => (o.id === saved.id ? saved : o)))}
                      />
                    )}
                  </Show>
                )}
              </For>
            </ul>
          </>
        )}
      </WhenLoaded>
    </section>
  );
}
