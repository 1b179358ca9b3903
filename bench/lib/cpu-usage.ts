/**
 * The child side of a CPU-per-call measurement: the `cpu` answer of a control channel, this
 * process's user + system CPU time so far in microseconds (process.cpuUsage). Kept apart from
 * cpu-per-call.ts so that children import no runner code.
 */
export function cpuMicros(): string {
  const u = process.cpuUsage();
  return String(u.user + u.system);
}
