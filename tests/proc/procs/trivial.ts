/**
 * The smallest proc: started, exited OK. It imports the lifecycle module alone, not the package
 * index, so it loads no client library.
 */
import { procSelf } from "../../../runtime/proc/proc-self.js";
import { statusOk } from "../../../runtime/proc-channel/index.js";

const me = procSelf();
await me.started();
await me.exited(statusOk("done"));
