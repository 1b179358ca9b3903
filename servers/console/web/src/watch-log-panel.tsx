/** The watch log: what the console's directory watches saw, newest first, as it happens. */
import type { JSX } from "preact";
import type { LogEntry } from "../../api-types.js";
import { formatClock } from "./format.js";

const SHOWN = 200;

export function WatchLogPanel({ entries }: { entries: readonly LogEntry[] }): JSX.Element {
  const shown = entries.slice(-SHOWN).reverse();
  if (shown.length === 0)
    return <p class="muted">Open a directory: its watch's events appear here.</p>;
  return (
    <ol class="watch-log" aria-live="polite">
      {shown.map((e) => (
        <li key={e.seq} class={`log-${e.kind}`}>
          <time>{formatClock(e.time)}</time> <span class="kind">{e.kind}</span>{" "}
          <code>{e.name === undefined ? e.dir : `${e.dir.replace(/\/$/, "")}/${e.name}`}</code>
          {e.detail === undefined ? null : <span class="muted"> {e.detail}</span>}
        </li>
      ))}
    </ol>
  );
}
