/**
 * Where the etcd baseline's server binary is: `ETCD_BIN`, else `etcd` on the PATH, else
 * Debian's /usr/bin/etcd (package etcd-server), which a PATH without /usr/bin would miss.
 */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** Printed when the binary is missing. */
export const ETCD_INSTALL_HINT = "apt-get install etcd-server";

export function findEtcd(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.ETCD_BIN) return executable(env.ETCD_BIN) ? env.ETCD_BIN : null;
  const dirs = [...(env.PATH ?? "").split(delimiter).filter((d) => d !== ""), "/usr/bin"];
  for (const dir of dirs) {
    const file = join(dir, "etcd");
    if (executable(file)) return file;
  }
  return null;
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
