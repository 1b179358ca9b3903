/** Starts, then exits with the code given as its argument without reporting an exit status. */
import { procSelf } from "../../../runtime/proc/proc-self.js";

await procSelf().started();
process.exit(Number(process.argv[2] ?? "1"));
