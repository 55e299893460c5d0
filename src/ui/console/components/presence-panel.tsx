// The operator's own presence (online or away) and the team's. Presence belongs to the lobby:
// the select is usable once the lobby socket has said who we are.
import { For, Show } from "solid-js";
import type { OperatorPresence, PresenceStatus } from "../../../shared/lobby-protocol.ts";
import type { LobbyConnection } from "../lobby-connection.ts";

export function PresencePanel(props: { lobby: LobbyConnection }) {
  const lobby = props.lobby;
  const lobbyNote = () =>
    lobby.socketStatus() === "reconnecting" ? "Lobby unreachable, retrying…" : "Connecting to the lobby…";

  return (
    <section class="presence-panel" aria-label="Presence">
      <label class="field inline" for="presence-select">
        <span>Status</span>
        <select
          id="presence-select"
          data-testid="presence-select"
          class={`presence ${lobby.you()?.status ?? "away"}`}
          value={lobby.you()?.status ?? "away"}
          disabled={!lobby.ready()}
          onChange={(e) => lobby.setPresence(e.currentTarget.value as PresenceStatus)}
        >
          <option value="online">Online</option>
          <option value="away">Away</option>
        </select>
      </label>
      <Show when={!lobby.ready()}>
        <p class="hint" role="status">
          {lobbyNote()}
        </p>
      </Show>
    </section>
  );
}

/** Who else is around, so an operator knows whether a busy queue has help coming. */
export function TeamList(props: { lobby: LobbyConnection; myId: string }) {
  const teammates = () => props.lobby.operators().filter((op) => op.id !== props.myId);
  const state = (op: OperatorPresence) => (op.connected ? op.status : "offline");
  return (
    <Show when={teammates().length > 0}>
      <section class="team" aria-labelledby="team-title">
        <h2 id="team-title" class="area-title">
          Team
        </h2>
        <ul>
          <For each={teammates()}>
            {(op) => (
              <li class={`teammate ${state(op)}`}>
                <span class="dot" aria-hidden="true" />
                {op.name}
                <span class="teammate-state">{state(op)}</span>
              </li>
            )}
          </For>
        </ul>
      </section>
    </Show>
  );
}
