/**
 * vitest global setup: every test run gets a private temp directory (TMPDIR, inherited by the
 * workers and by every process a test spawns), and the run fails if anything is left in it at the
 * end. Tests clean up their temp dirs; this is what holds them to it, without being confused by
 * other runs sharing the system temp dir.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";

/** Caches, not leaks: tsx keeps its compile cache and IPC sockets in `tsx-<uid>`. */
const KEPT = [/^tsx-\d+$/];

export default function setup(): () => void {
  const system = tmpdir();
  const dir = mkdtempSync(join(system, "sigmats-test-tmp-"));
  // tsx's cache stays the system one (a link), so that spawned processes start warm as before.
  const tsx = `tsx-${userInfo().uid}`;
  mkdirSync(join(system, tsx), { recursive: true });
  symlinkSync(join(system, tsx), join(dir, tsx));
  process.env.TMPDIR = dir;
  return () => {
    const left = readdirSync(dir).filter((name) => !KEPT.some((re) => re.test(name)));
    // rmSync removes the link, not tsx's cache behind it.
    rmSync(dir, { recursive: true, force: true });
    if (left.length > 0) {
      // A teardown that throws is only logged; the exit status is what CI sees.
      console.error(`tests left these in the temp dir: ${left.sort().join(", ")}`);
      process.exitCode = 1;
    }
  };
}
