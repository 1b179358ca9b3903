/** Request rates of one server over the samples kept, drawn by uPlot (bundled, no network). */
import type { JSX } from "preact";
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { StatsSample } from "../../api-types.js";

/** The counters drawn, Ntotal first; the legend turns each on and off. */
export const SERIES = [
  "Ntotal",
  "Nget",
  "Nput",
  "Nwalk",
  "Nopen",
  "Nread",
  "Nwrite",
  "Nwatch",
  "Nrpc",
];
const COLORS = [
  "#1f6feb",
  "#d9480f",
  "#2f9e44",
  "#ae3ec9",
  "#f08c00",
  "#0c8599",
  "#c2255c",
  "#5c940d",
  "#495057",
];

interface Props {
  samples: readonly StatsSample[];
  server: string;
}

export function RateChart({ samples, server }: Props): JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const el = box.current;
    if (el === null) return;
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: 180,
      scales: { x: { time: true } },
      axes: [{}, { label: "requests / s", size: 50 }],
      series: [
        {},
        ...SERIES.map((k, i) => ({
          label: k,
          stroke: COLORS[i % COLORS.length],
          width: k === "Ntotal" ? 2 : 1.25,
          points: { show: false },
          show: i < 5,
          value: (_u: uPlot, v: number | null) => (v === null ? "—" : v.toFixed(1)),
        })),
      ],
    };
    const u = new uPlot(opts, toData(samples, server), el);
    plot.current = u;
    const ro = new ResizeObserver(() =>
      u.setSize({ width: Math.max(200, el.clientWidth), height: 180 }),
    );
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [server]);

  useEffect(() => {
    plot.current?.setData(toData(samples, server));
  }, [samples, server]);

  return <div ref={box} class="chart" aria-label={`request rates of ${server}`} />;
}

function toData(samples: readonly StatsSample[], server: string): uPlot.AlignedData {
  const xs: number[] = [];
  const ys: (number | null)[][] = SERIES.map(() => []);
  for (const s of samples) {
    const r = s.servers[server]?.rates;
    xs.push(s.t / 1000);
    SERIES.forEach((k, i) => ys[i]?.push(r?.[k] ?? null));
  }
  return [xs, ...ys];
}
