// Busiest hours: chats started per weekday and hour, as a table whose cells are shaded by count,
// so it is its own accessible version (every cell is a number with its row and column headers).
import { For } from "solid-js";

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const HOURS = Array.from({ length: 24 }, (_, hour) => hour);

export function HeatMap(props: { cells: number[][]; timeZone: string }) {
  const most = () => Math.max(1, ...props.cells.flat());
  return (
    <figure class="report-heat" data-testid="report-heat-map">
      <figcaption>Busiest hours (chats started, {props.timeZone} time)</figcaption>
      <div class="report-heat-scroll">
        <table>
          <thead>
            <tr>
              <td />
              <For each={HOURS}>
                {(hour) => (
                  <th scope="col" aria-label={`${hour}:00`}>
                    {hour}
                  </th>
                )}
              </For>
            </tr>
          </thead>
          <tbody>
            <For each={WEEKDAYS}>
              {(weekday, day) => (
                <tr>
                  <th scope="row" aria-label={weekday}>
                    {weekday.slice(0, 3)}
                  </th>
                  <For each={HOURS}>
                    {(hour) => {
                      const count = () => props.cells[day()]?.[hour] ?? 0;
                      return (
                        <td
                          style={{
                            "--heat": String(count() / most()),
                            color: count() / most() > 0.45 ? "#fff" : "#1d2939",
                          }}
                          title={`${weekday} ${hour}:00–${hour + 1}:00: ${count()} chats`}
                          classList={{ empty: count() === 0 }}
                        >
                          {count() || <span class="visually-hidden">0</span>}
                        </td>
                      );
                    }}
                  </For>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </figure>
  );
}
