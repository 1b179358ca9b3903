/**
 * `sigma gen` for someone else's protocol, as a user gets it: an application outside this
 * repository that depends on the packed sigmats and on the code generator's optional peers
 * (tests/support/packed-app.ts: packed, installed offline), with its own two-message schema.
 * `npx sigma gen` generates it, tsc type-checks it (strict, module nodenext) and compiles it, and
 * the compiled program serves it over the sigmats session layer and calls it through a TCP proxy
 * that cuts the connection while one call is inside its handler.
 *
 * What must hold afterwards: every call's side effect happened exactly once (N increments, the
 * counter is N, each reply is the total after its own increment), the call whose reply was cut
 * was resent and answered from the server's reply table (one duplicate suppressed), and the
 * session redialled once.
 */
import { execFile } from "node:child_process";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GENERATOR_PACKAGES } from "../../bin/commands/generator-missing.js";
import { installPackedApp, type PackedApp } from "../support/packed-app.js";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");

const SCHEMA = `/// A counter: each add is applied once, however often the network makes the client send it.
protocol myproto version 1;

/// Add n to the counter.
request Tadd = 10 -> Radd {
  n: u32 = 1;
}

/// The counter after this add.
reply Radd = 11 {
  total: u32 = 1;
}
`;

/** How many adds the program makes, and during which one (by the total) the proxy cuts. */
const CALLS = 20;
const CUT_AT = 7;

/** The user's program: a server, a cutting proxy in front of it, and a client calling through. */
const PROGRAM = `import net from "node:net";
import { SessionClient, startSessionServer, type RequestContext } from "sigmats";
import {
  MyprotoClient,
  myprotoServer,
  type MyprotoHandlers,
  type Radd,
  type Tadd,
} from "./generated/myproto/index.js";

const links = new Set<net.Socket>();
let connections = 0;
/** Resets every link the proxy carries (RST both ways), as a failed network does. */
function cut(): void {
  for (const s of links) s.resetAndDestroy();
  links.clear();
}

let counter = 0;
class Counter implements MyprotoHandlers<RequestContext> {
  async add(req: Tadd): Promise<Radd> {
    counter += req.n;
    // The reply of this call is lost with the connection: the client must resend the call.
    if (counter === ${CUT_AT}) cut();
    return { total: counter };
  }
}

const server = await startSessionServer({ ...myprotoServer(new Counter()), port: 0 });
const colon = server.addr.lastIndexOf(":");
const [host, port] = [server.addr.slice(0, colon), Number(server.addr.slice(colon + 1))];
const proxy = net.createServer((downstream) => {
  connections++;
  const upstream = net.connect({ host, port });
  for (const [from, to] of [[downstream, upstream], [upstream, downstream]] as const) {
    links.add(from);
    from.pipe(to);
    from.on("error", () => to.destroy());
    from.on("close", () => to.destroy());
  }
});
await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
const { port: proxyPort } = proxy.address() as net.AddressInfo;

const session = await SessionClient.open({ addrs: [\`127.0.0.1:\${proxyPort}\`] });
const client = new MyprotoClient(session);
const totals: number[] = [];
for (let i = 0; i < ${CALLS}; i++) totals.push((await client.add({ n: 1 })).total);
const { duplicatesSuppressed } = server.stats();
// Closing the session ends both links; the proxy's close then waits for nothing.
await session.close();
await new Promise<void>((resolve) => proxy.close(() => resolve()));
await server.close();
console.log(JSON.stringify({ totals, counter, duplicatesSuppressed, connections }));
`;

let packed: PackedApp | undefined;
let app: string;

beforeAll(async () => {
  packed = await installPackedApp({ prefix: "sigmats-outside-packed-", peers: GENERATOR_PACKAGES });
  app = packed.app;
  await mkdir(path.join(app, "schema"));
  await writeFile(path.join(app, "schema/myproto.sigmap"), SCHEMA);
  await writeFile(path.join(app, "main.ts"), PROGRAM);
  await writeFile(
    path.join(app, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        module: "nodenext",
        moduleResolution: "nodenext",
        target: "ES2022",
        outDir: "build",
        noEmitOnError: true,
        skipLibCheck: false,
        typeRoots: [path.join(ROOT, "node_modules/@types")],
        types: ["node"],
      },
      include: ["*.ts", "generated"],
    }),
  );
}, 300_000);

afterAll(() => packed?.remove());

describe("sigma gen in an application that installed the packed sigmats", () => {
  it("generates with npx sigma gen, type-checks, and calls exactly once across a cut", async () => {
    await run("npx", ["--offline", "sigma", "gen"], { cwd: app });
    expect((await readdir(path.join(app, "generated/myproto"))).sort()).toEqual([
      "client.ts",
      "codec.ts",
      "index.ts",
      "registry.ts",
      "server.ts",
      "types.ts",
    ]);
    // Type-checks (strict, nodenext, the package's own declarations included) and compiles.
    const tsc = path.join(ROOT, "node_modules/typescript/bin/tsc");
    const checked = await run(process.execPath, [tsc, "-p", app], { cwd: app }).catch(
      (e: { stdout: string }) => ({ stdout: e.stdout }),
    );
    expect(checked.stdout).toBe("");
    const { stdout } = await run(process.execPath, ["build/main.js"], { cwd: app });
    expect(JSON.parse(stdout)).toEqual({
      totals: Array.from({ length: CALLS }, (_, i) => i + 1),
      counter: CALLS,
      duplicatesSuppressed: 1,
      connections: 2,
    });
  }, 240_000);
});
