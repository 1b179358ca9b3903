/**
 * Spawns PROGRAM (its first argument) with the second argument, waits for it to start, writes the
 * child's pid and kernel to the file named by the third argument, and exits without waiting.
 */
import { Mode } from "../../../generated/sigmap/types.js";
import { makeProc, SigmaClnt, statusOk } from "../../../runtime/proc/index.js";

const [program = "", arg = "", pidFile = ""] = process.argv.slice(2);
const sc = await SigmaClnt.fromEnv();
await sc.started();
const child = makeProc(program, [arg]);
const spawned = await sc.procClnt.spawn(child);
await sc.procClnt.waitStart(child.pid);
const note = JSON.stringify({ pid: child.pid, kernel: spawned.kernel, osPid: spawned.osPid });
await sc.fsl.putFile(pidFile, 0o777, Mode.OWRITE, new TextEncoder().encode(note));
await sc.exited(statusOk("left my child"));
