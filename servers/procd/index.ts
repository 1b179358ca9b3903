/** procd, the per-machine proc daemon (spec 9): see docs/procs.md. */
export { startProcd, type Procd, type ProcdOptions } from "./procd.js";
export { JsMirror } from "./js-mirror.js";
