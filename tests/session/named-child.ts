/**
 * Child process for tests/session/named-pause.test.ts: named in a process of its own, so that
 * stopping it (SIGSTOP) pauses the server's event loop only. Argument: the session timeout in
 * ms. Prints `ADDR host:port` once serving; exits on SIGTERM or when its parent goes.
 */
import { startNamed } from "../../servers/named/index.js";

const named = await startNamed({ sessionTimeoutMs: Number(process.argv[2]) });
process.stdout.write(`ADDR ${named.addr}\n`);
const stop = (): void => void named.close().finally(() => process.exit(0));
process.on("SIGTERM", stop);
process.stdin.on("end", stop);
process.stdin.resume();
