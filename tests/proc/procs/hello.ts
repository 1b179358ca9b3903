/** Walkthrough Exercise 4's proc: creates a file in named, starts, greets, says goodbye. */
import { Mode } from "../../../generated/sigmap/types.js";
import { SigmaClnt, statusOk } from "../../../runtime/proc/index.js";

const sc = await SigmaClnt.fromEnv();
const dir = process.argv[2] ?? "name/tmp";
await sc.fsl.putFile(`${dir}/${sc.pid}`, 0o777, Mode.OWRITE, new TextEncoder().encode("hello"));
await sc.started();
console.log("Hello World");
await sc.exited(statusOk("Goodbye World"));
