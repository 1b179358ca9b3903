/**
 * named's boot layout (spec 10.2): the directories the rest of the system expects to find
 * under `name/` before anyone creates them.
 */
import { RootRealm } from "../../generated/sigmap/types.js";

const ROOT_REALM_DIRS = [
  "tmp",
  "boot",
  "kpids",
  "schedd",
  "ux",
  "s3",
  "db",
  "hotel",
  "cache",
  "ws/runq-lc",
  "ws/runq-be",
] as const;

const OTHER_REALM_DIRS = ["tmp", "hotel", "cache"] as const;

/** The directories named creates at boot for `realm`, parents before children. */
export function bootDirs(realm: string): readonly string[] {
  return realm === RootRealm ? ROOT_REALM_DIRS : OTHER_REALM_DIRS;
}
