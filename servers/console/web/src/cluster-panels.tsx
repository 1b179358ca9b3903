/** The panels built from the census (ClusterJson): servers, elections and fences, procs, ephemeral objects, the store. */
import type { JSX } from "preact";
import type { ClusterJson } from "../../api-types.js";
import { formatClock, formatTime } from "./format.js";

export function ServersPanel({ c }: { c: ClusterJson }): JSX.Element {
  return (
    <table class="grid">
      <thead>
        <tr>
          <th>registered at</th>
          <th>kind</th>
          <th>address</th>
          <th>sessions</th>
        </tr>
      </thead>
      <tbody>
        {c.servers.map((s) => (
          <tr key={s.path}>
            <td>
              <code>{s.path}</code>
              {s.error === undefined ? null : <div class="error">{s.error}</div>}
              {s.rpc === undefined ? null : (
                <div class="muted">
                  {Object.entries(s.rpc.methods)
                    .map(([m, st]) => `${m}: ${st.N} calls, avg ${st.Avg.toFixed(2)} ms`)
                    .join("; ") || "no calls yet"}
                </div>
              )}
            </td>
            <td>{s.kind}</td>
            <td>{s.addrs.join(", ")}</td>
            <td>
              {s.sessions === undefined
                ? "—"
                : s.sessions.length === 0
                  ? "none"
                  : s.sessions.join(", ")}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function LeadersPanel({ c }: { c: ClusterJson }): JSX.Element {
  return (
    <>
      {c.leaders.length === 0 ? (
        <p class="muted">
          No elections found (an election is a file with an epoch file beside it, NAME-epoch).
        </p>
      ) : (
        <table class="grid">
          <thead>
            <tr>
              <th>leader file</th>
              <th>epoch</th>
              <th>held by</th>
              <th>fence id</th>
            </tr>
          </thead>
          <tbody>
            {c.leaders.map((l) => (
              <tr key={l.path}>
                <td>
                  <code>{l.path}</code>
                </td>
                <td>{l.epoch ?? "?"}</td>
                <td>
                  {l.held ? (
                    <>
                      {l.owner}
                      {l.ephemeral === true ? <span class="badge eph">eph</span> : null}
                      {l.data ? <div class="muted">{l.data}</div> : null}
                    </>
                  ) : (
                    <span class="muted">nobody</span>
                  )}
                </td>
                <td>
                  <code>{l.fenceId}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h4>.fences</h4>
      {c.fences.length === 0 ? (
        <p class="muted">No server has seen a fenced request.</p>
      ) : (
        <table class="grid">
          <thead>
            <tr>
              <th>server</th>
              <th>fence id</th>
              <th>election</th>
              <th>version</th>
              <th>raised</th>
            </tr>
          </thead>
          <tbody>
            {c.fences.map((f) => (
              <tr key={`${f.server}/${f.fenceId}`}>
                <td>
                  <code>{f.server}</code>
                </td>
                <td>
                  <code>{f.fenceId}</code>
                </td>
                <td>{f.leader === undefined ? "—" : <code>{f.leader}</code>}</td>
                <td>{f.version}</td>
                <td>{formatTime(f.mtime)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function ProcsPanel({ c }: { c: ClusterJson }): JSX.Element {
  if (c.procds.length === 0)
    return <p class="muted">No procd is registered (name/schedd/KERNEL/rpc).</p>;
  return (
    <>
      {c.procds.map((p) => (
        <div key={p.kernel} class="procd">
          <h4>
            procd <code>{p.kernel}</code> <span class="muted">{p.addr}</span>
            <span class="muted">
              {" "}
              · {p.warmIdle} warm · {p.queued.length} queued
            </span>
          </h4>
          {p.error === undefined ? null : <p class="error">{p.error}</p>}
          {p.procs.length === 0 ? (
            <p class="muted">no procs</p>
          ) : (
            <table class="grid">
              <thead>
                <tr>
                  <th>pid</th>
                  <th>state</th>
                  <th>os pid</th>
                  <th>start</th>
                  <th>since</th>
                  <th>program</th>
                </tr>
              </thead>
              <tbody>
                {p.procs.map((x) => (
                  <tr key={x.pid}>
                    <td>
                      <code>{x.pid}</code>
                    </td>
                    <td class={`state-${x.state}`}>{x.state}</td>
                    <td>{x.osPid}</td>
                    <td>{x.warm ? "warm" : "cold"}</td>
                    <td>{formatClock(x.spawnedAt)}</td>
                    <td>
                      <code>{[x.program, ...x.args].join(" ")}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      ))}
    </>
  );
}

export function EphemeralPanel({ c }: { c: ClusterJson }): JSX.Element {
  if (c.ephemeral.length === 0) return <p class="muted">No ephemeral objects.</p>;
  return (
    <table class="grid">
      <thead>
        <tr>
          <th>object</th>
          <th>owner</th>
          <th>version</th>
        </tr>
      </thead>
      <tbody>
        {c.ephemeral.map((e) => (
          <tr key={e.path}>
            <td>
              <code>{e.path}</code> <span class="muted">{e.kind}</span>
            </td>
            <td>{e.owner}</td>
            <td>{e.version}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Which store serves named; on the etcd store, which replica leads. */
export function StorePanel({ c }: { c: ClusterJson }): JSX.Element {
  const s = c.store;
  return (
    <div class="store">
      <p>
        <strong>{s.kind}</strong> <span class="muted">{s.description}</span>
      </p>
      {s.replicas === null ? null : (
        <table class="grid">
          <thead>
            <tr>
              <th>replica</th>
              <th>address</th>
              <th>role</th>
            </tr>
          </thead>
          <tbody>
            {s.replicas.map((r) => (
              <tr key={r.id}>
                <td>{r.id}</td>
                <td>{r.addr}</td>
                <td>{r.leader ? <strong>leader</strong> : "follower"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="muted">
        Scan: {c.scan.dirs} directories, {c.scan.entries} entries in {c.scan.ms} ms
        {c.scan.truncated ? " (cut short: the namespace is larger than one scan looks at)" : ""}, at{" "}
        {formatClock(c.at)}.
      </p>
      {c.errors.length === 0 ? null : (
        <ul class="error">
          {c.errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
