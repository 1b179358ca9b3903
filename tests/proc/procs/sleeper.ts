/** Starts and then does nothing until it is stopped. */
import { procSelf } from "../../../runtime/proc/proc-self.js";

await procSelf().started();
setInterval(() => undefined, 60_000);
