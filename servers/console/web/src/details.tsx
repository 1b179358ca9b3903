/** An object's details: kind, size, version, owner, mtime, ephemeral flag, symlink content. */
import type { JSX } from "preact";
import type { DetailsJson } from "../../api-types.js";
import { formatBytes, formatTime } from "./format.js";

export function Details({ d }: { d: DetailsJson }): JSX.Element {
  const e = d.entry;
  return (
    <div class="details">
      <dl>
        <dt>kind</dt>
        <dd data-field="kind">{e.kind}</dd>
        <dt>size</dt>
        <dd data-field="size">
          {formatBytes(e.size)}
          {e.kind === "dir" ? " (listing)" : ""}
        </dd>
        <dt>version</dt>
        <dd data-field="version">{e.version}</dd>
        <dt>owner</dt>
        <dd data-field="owner">{e.owner === "" ? "—" : e.owner}</dd>
        <dt>modified</dt>
        <dd data-field="mtime">{formatTime(e.mtime)}</dd>
        <dt>ephemeral</dt>
        <dd data-field="ephemeral">
          {e.ephemeral ? "yes: removed when its creating session ends" : "no"}
        </dd>
        <dt>object id</dt>
        <dd data-field="objectId">{e.objectId}</dd>
      </dl>
      {d.symlink === undefined ? null : <Symlink s={d.symlink} />}
    </div>
  );
}

function Symlink({ s }: { s: NonNullable<DetailsJson["symlink"]> }): JSX.Element {
  if (s.kind === "path") {
    return (
      <p class="symlink" data-field="target">
        symlink to <code>{s.target}</code>
      </p>
    );
  }
  if (s.kind === "bad") return <p class="symlink error">damaged mount record: {s.error}</p>;
  return (
    <div class="symlink" data-field="mount">
      <p>
        mount record: tree <code>{s.root === "" ? "(root)" : s.root}</code> on
      </p>
      <ul>
        {s.addrs.map((a) => (
          <li key={a.addr}>
            <code>{a.addr}</code> <span class="muted">({a.net})</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
