/**
 * A proc that outlives its first token (procd's --proc-token-ttl): once that token has expired,
 * it opens a new session with SIGMA_TOKEN as procd renewed it and writes a file as its spawner.
 * Without a renewal the new session is Unauthorized and the proc fails.
 */
import { Mode } from "../../../generated/sigmap/types.js";
import { parseToken } from "../../../runtime/auth/token-format.js";
import { FsLib } from "../../../runtime/client/index.js";
import { readProcEnv } from "../../../runtime/proc-channel/proc-env.js";
import { SigmaClnt, statusOk } from "../../../runtime/proc/index.js";

const sc = await SigmaClnt.fromEnv();
const dir = process.argv[2] ?? "name/tmp";
await sc.started();
const first = process.env["SIGMA_TOKEN"] ?? "";
const expiresMs = parseToken(first).claims.exp * 1000;
// What is under test is the clock: the first token must be past its end before the new session.
await new Promise((r) => setTimeout(r, Math.max(0, expiresMs - Date.now()) + 200));
const token = process.env["SIGMA_TOKEN"] ?? "";
const fresh = await FsLib.connect({ named: readProcEnv().named, token, localIp: "127.0.0.1" });
const what = token === first ? "the first token" : "a renewed token";
await fresh.putFile(`${dir}/${sc.pid}`, 0o644, Mode.OWRITE, new TextEncoder().encode(what));
await fresh.exit();
await sc.exited(statusOk("outlived its first token"));
