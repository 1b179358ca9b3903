/** Starts, waits until the semaphore named by its argument goes up, then exits OK. */
import { SemClnt } from "../../../runtime/coord/index.js";
import { SigmaClnt, statusOk } from "../../../runtime/proc/index.js";

const sc = await SigmaClnt.fromEnv();
await sc.started();
await new SemClnt(sc.fsl, process.argv[2] ?? "").down();
await sc.exited(statusOk("released"));
