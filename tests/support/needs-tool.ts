/**
 * Tests that need an outside tool (etcd, script, diod, chromium) are skipped when it is missing,
 * and the skip says which tool and which package provides it, in the test's title and once on
 * stderr, so that a green run never hides what it did not test.
 */
import { accessSync, constants } from "node:fs";
import path from "node:path";

export interface Tool {
  /** The command, e.g. `etcd`. */
  name: string;
  /** Where to get it, e.g. `Debian package etcd-server, or set ETCD_BIN`. */
  provider: string;
  /** Whether it was found (default: `name` is an executable on PATH). */
  found?: boolean;
}

/** Whether `name` is an executable on PATH. */
export function onPath(name: string): boolean {
  return (process.env["PATH"] ?? "").split(":").some((d) => {
    try {
      accessSync(path.join(d || ".", name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** `title`, or, when the tool is missing, `title [skipped: … not found (provider)]`. */
export function needing(title: string, tool: Tool): { title: string; missing: boolean } {
  const missing = !(tool.found ?? onPath(tool.name));
  if (!missing) return { title, missing };
  const why = `skipped: ${tool.name} not found (${tool.provider})`;
  process.stderr.write(`${title}: ${why}\n`);
  return { title: `${title} [${why}]`, missing };
}

/** `title`, marked skipped when etcd is missing (package etcd-server; ETCD_BIN overrides PATH). */
export function needingEtcd(title: string): { title: string; missing: boolean } {
  const found = process.env["ETCD_BIN"] !== undefined || onPath("etcd");
  return needing(title, {
    name: "etcd",
    provider: "Debian package etcd-server, or set ETCD_BIN",
    found,
  });
}
