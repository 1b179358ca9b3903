/**
 * Requests: the `.statsd` counters of named or of a registered server, and their rates over the
 * last minutes. named does not list its sessions; the servers panel shows those that an RPC
 * server does (one directory per session).
 */
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import type { StatsSample } from "../../api-types.js";
import { RateChart } from "./rate-chart.js";

export function RatesPanel({
  samples,
  intervalMs,
}: {
  samples: readonly StatsSample[];
  intervalMs: number;
}): JSX.Element {
  const last = samples[samples.length - 1];
  const servers = last === undefined ? ["name"] : Object.keys(last.servers);
  const [server, setServer] = useState("name");
  const cur = servers.includes(server) ? server : "name";
  const counters = last?.servers[cur]?.counters ?? {};
  const minutes = Math.round((samples.length * intervalMs) / 60_000);
  return (
    <div class="rates">
      <label class="inline">
        Server{" "}
        <select value={cur} onChange={(e) => setServer(e.currentTarget.value)}>
          {servers.map((s) => (
            <option key={s} value={s}>
              {s === "name" ? "named" : s}
            </option>
          ))}
        </select>
        <span class="muted">
          {" "}
          {samples.length} samples{minutes > 0 ? `, ${minutes} min` : ""}
        </span>
      </label>
      <RateChart samples={samples} server={cur} />
      <dl class="counters" aria-label="counters">
        {Object.entries(counters)
          .filter(([, v]) => v !== 0)
          .map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{Number.isInteger(v) ? v : v.toFixed(2)}</dd>
            </div>
          ))}
      </dl>
    </div>
  );
}
