/** procd, the per-machine proc daemon (spec 9): see docs/procs.md. */
export { startProcd, type Procd, type ProcdOptions } from "./procd.js";
export { JsMirror } from "./js-mirror.js";
export { DEFAULT_LIMITS, type ProcLimits, type ProcUser } from "./confinement.js";
export { DEFAULT_PASS_ENV } from "./child-env.js";
export {
  allowEveryone,
  allowUsers,
  type SpawnAuthorizer,
  type SpawnCaller,
} from "./spawn-authorizer.js";
