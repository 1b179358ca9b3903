/**
 * For benchmark servers run by child.ts: exit promptly, and through process.exit so that exit
 * hooks run (`node --cpu-prof` writes its profile only then). The runner stops its children
 * with SIGTERM, whose default action skips every hook; and a runner killed by a signal runs no
 * handlers at all, so a child also leaves on its own once its parent is gone, instead of holding
 * a port and a core forever.
 */

/** How often the parent is checked; an orphan lingers at most this long. */
const CHECK_MS = 250;

export function exitWithRunner(): void {
  process.once("SIGTERM", () => process.exit(0));
  const parent = process.ppid;
  const timer = setInterval(() => {
    // Orphans are re-parented (to init or a subreaper), so a changed ppid means the runner died.
    if (process.ppid !== parent) process.exit(0);
  }, CHECK_MS);
  // The server's own handles keep the process alive; this check must not.
  timer.unref();
}
