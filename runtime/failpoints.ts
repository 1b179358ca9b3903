/**
 * Failpoints: bugs planted on purpose, so that the verification harness (docs/verification.md)
 * can show it catches them. A testing aid, like etcd's gofail; never set in production.
 *
 * `SIGMA_FAILPOINTS=name[,name]` is read once, when the process loads this module (a server's
 * start). A failpoint fires on every 5th time its site is reached (dedup-off: every time, as a
 * resent request whose reply is stored is rare already), by count, not at random. Off (the
 * default), each site costs one boolean check.
 *
 * - `dedup-off`: a resent request whose reply is stored runs again (session/server-session.ts);
 * - `stale-read`: a file read returns the content from before the last write (fs/mem-bytes.ts);
 * - `lost-write`: a file write is acknowledged but not applied (fs/mem-bytes.ts);
 * - `reorder`: a session's next two queued requests start in swapped order (session-scheduler.ts);
 * - `fence-off`: named on etcd: a leader never notices that its election lease ended, and its
 *   transactions do not compare its fence, so a deposed leader's writes commit
 *   (fs-etcd/election.ts, fs-etcd/committer.ts);
 * - `lease-late`: named on etcd: a leader never notices that its election lease ended, so it
 *   keeps serving reads from its cache after it (its writes are still fenced) (fs-etcd/election.ts).
 * - `reply-lost`: a server dies (SIGKILL of itself) after a Tputfile or Tcreate of a journalled
 *   session ran, before its reply leaves: named on etcd's exactly-once test (server-session.ts).
 * - `hello-kill`: a server dies (SIGKILL of itself) right after its answer to the hello of a new
 *   journalled session left: named on etcd's session-record test (session-service.ts).
 *
 * The two etcd failpoints hold for the whole leadership (a state, not a count of sites).
 */

export const FAILPOINT_NAMES = [
  "dedup-off",
  "stale-read",
  "lost-write",
  "reorder",
  "fence-off",
  "lease-late",
  "reply-lost",
  "hello-kill",
] as const;
export type FailpointName = (typeof FAILPOINT_NAMES)[number];

const EVERY: Record<FailpointName, number> = {
  "dedup-off": 1,
  "stale-read": 5,
  "lost-write": 5,
  reorder: 5,
  "fence-off": 1,
  "lease-late": 1,
  "reply-lost": 1,
  "hello-kill": 1,
};

const flags = parseFailpoints(process.env.SIGMA_FAILPOINTS);

/** Which failpoints are on; read once (or set by setFailpoints). */
export const FAILPOINTS: Readonly<Record<FailpointName, boolean>> = flags;

const reached: Record<FailpointName, number> = {
  "dedup-off": 0,
  "stale-read": 0,
  "lost-write": 0,
  reorder: 0,
  "fence-off": 0,
  "lease-late": 0,
  "reply-lost": 0,
  "hello-kill": 0,
};

/** Called only where the failpoint is on: whether it fires this time. */
export function failpointFires(name: FailpointName): boolean {
  return ++reached[name] % EVERY[name] === 0;
}

/**
 * The in-process equivalent of SIGMA_FAILPOINTS, for the simulation (verify/sim), which runs
 * servers inside its own process: sets the flags and restarts every count, so that a run
 * replays the same firings.
 */
export function setFailpoints(text: string | undefined): void {
  Object.assign(flags, parseFailpoints(text));
  for (const name of FAILPOINT_NAMES) reached[name] = 0;
}

/** `"dedup-off,reorder"` -> the flags; an unknown name is an error naming the known ones. */
export function parseFailpoints(text: string | undefined): Record<FailpointName, boolean> {
  const on = Object.fromEntries(FAILPOINT_NAMES.map((n) => [n, false])) as Record<
    FailpointName,
    boolean
  >;
  for (const raw of (text ?? "").split(",")) {
    const name = raw.trim();
    if (name === "") continue;
    if (!(FAILPOINT_NAMES as readonly string[]).includes(name)) {
      throw new Error(
        `SIGMA_FAILPOINTS: unknown failpoint "${name}" (known: ${FAILPOINT_NAMES.join(", ")})`,
      );
    }
    on[name as FailpointName] = true;
  }
  return on;
}
