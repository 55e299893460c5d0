// A chart of figures per day, drawn by uPlot (a small canvas charting library, loaded with the
// Reports page only). The canvas is hidden from screen readers: the table beside it carries the
// same numbers (visually hidden, read aloud in its place).
import { createEffect, For, onCleanup, onMount } from "solid-js";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

/** `bars`: drawn as bars, "left"/"right" of the day when two bar series share a chart. */
export type DaySeries = {
  label: string;
  color: string;
  values: (number | null)[];
  bars?: "whole" | "left" | "right";
};

const barPaths = {
  whole: uPlot.paths.bars!({ size: [0.7, 40] }),
  left: uPlot.paths.bars!({ size: [0.4, 20], align: 1 }),
  right: uPlot.paths.bars!({ size: [0.4, 20], align: -1 }),
};

export function DayChart(props: { title: string; days: string[]; series: DaySeries[]; unit?: string; testId: string }) {
  let box!: HTMLDivElement;
  let chart: uPlot | undefined;
  const width = () => Math.max(280, box.clientWidth);
  const draw = () => {
    chart?.destroy();
    const x = props.days.map((day) => Date.parse(`${day}T00:00:00Z`) / 1000);
    chart = new uPlot(
      {
        width: width(),
        height: 220,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
        scales: {
          // Half a day either side, so the first and last days' bars are whole.
          x: { time: true, range: (_u, min, max) => [min - 43_200, max + 43_200] },
          y: { range: (_u, _min, max) => [0, Math.max(1, max)] },
        },
        axes: [{}, { label: props.unit ?? "", size: 50 }],
        series: [
          {},
          ...props.series.map((s) => ({
            label: s.label,
            stroke: s.color,
            fill: s.bars ? `${s.color}99` : undefined,
            width: s.bars ? 0 : 2,
            paths: s.bars ? barPaths[s.bars] : undefined,
            // A line's days stand alone when the days around them have no value.
            points: { show: !s.bars, size: 5 },
            spanGaps: true,
          })),
        ],
      },
      [x, ...props.series.map((s) => s.values)] as uPlot.AlignedData,
      box,
    );
    chart.root.setAttribute("aria-hidden", "true");
  };
  onMount(() => {
    const resize = new ResizeObserver(() => chart?.setSize({ width: width(), height: 220 }));
    resize.observe(box);
    onCleanup(() => {
      resize.disconnect();
      chart?.destroy();
    });
  });
  createEffect(draw);
  return (
    <figure class="report-chart" data-testid={props.testId}>
      <figcaption>{props.title}</figcaption>
      <div ref={box} />
      <table class="visually-hidden">
        <caption>{props.title}, per day</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <For each={props.series}>{(s) => <th scope="col">{s.label}</th>}</For>
          </tr>
        </thead>
        <tbody>
          <For each={props.days}>
            {(day, i) => (
              <tr>
                <th scope="row">{day}</th>
                <For each={props.series}>{(s) => <td>{s.values[i()] ?? "–"}</td>}</For>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </figure>
  );
}
