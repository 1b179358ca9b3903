/** The benchmark's trivial Node proc: says it started, exits OK. Loads no client library. */
import { procSelf } from "../../../../runtime/proc/proc-self.js";
import { statusOk } from "../../../../runtime/proc-channel/index.js";

const me = procSelf();
await me.started();
await me.exited(statusOk());
