import net from "node:net";
import { once } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { FaultProxy } from "../../devtools/fault-proxy.js";

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function echoServer(): Promise<string> {
  const server = net.createServer((s) => s.on("error", () => {}).pipe(s));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
  return `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

async function proxyTo(target: string): Promise<FaultProxy> {
  const p = await FaultProxy.start({ target });
  cleanup.push(() => p.close());
  return p;
}

async function connect(addr: string): Promise<net.Socket> {
  const [host, port] = addr.split(":") as [string, string];
  const s = net.connect({ host, port: Number(port) });
  s.on("error", () => {});
  cleanup.push(() => void s.destroy());
  await once(s, "connect");
  return s;
}

/** Resolves on close; a reset socket also emits "error", which events.once would reject on. */
function closed(s: net.Socket): Promise<void> {
  return new Promise((resolve) => s.once("close", () => resolve()));
}

async function roundTrip(s: net.Socket, text: string): Promise<string> {
  s.write(text);
  const [chunk] = (await once(s, "data")) as [Buffer];
  return chunk.toString();
}

describe("fault proxy", () => {
  it("forwards both ways", async () => {
    const p = await proxyTo(await echoServer());
    const s = await connect(p.addr);
    expect(await roundTrip(s, "hello")).toBe("hello");
    expect(p.stats.connections).toBe(1);
  });

  it("cut resets current links and keeps accepting", async () => {
    const p = await proxyTo(await echoServer());
    const s = await connect(p.addr);
    await roundTrip(s, "x");
    const gone = closed(s);
    p.cut();
    await gone;
    const s2 = await connect(p.addr);
    expect(await roundTrip(s2, "again")).toBe("again");
    expect(p.stats.cuts).toBe(1);
  });

  it("down refuses new connections until up", async () => {
    const p = await proxyTo(await echoServer());
    p.down();
    const s = await connect(p.addr);
    await closed(s);
    expect(p.stats.refused).toBe(1);
    p.up();
    expect(await roundTrip(await connect(p.addr), "back")).toBe("back");
  });

  it("blackhole swallows bytes while the link stays open", async () => {
    const p = await proxyTo(await echoServer());
    const s = await connect(p.addr);
    p.blackhole(true);
    let got = "";
    s.on("data", (c: Buffer) => (got += c.toString()));
    const swallowed = once(p, "swallowed");
    s.write("lost");
    await swallowed;
    p.blackhole(false);
    expect(await roundTrip(s, "seen")).toBe("seen");
    expect(got).toBe("seen");
    expect(s.destroyed).toBe(false);
  });

  it("delay holds bytes back", async () => {
    const p = await proxyTo(await echoServer());
    const s = await connect(p.addr);
    p.delay(60);
    const t0 = performance.now();
    await roundTrip(s, "slow");
    // Two hops through the proxy, each delayed.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(110);
  });

  it("chaos cuts links repeatedly", async () => {
    const p = await proxyTo(await echoServer());
    p.startChaos({ seed: 42, cutEveryMs: [5, 15] });
    for (let i = 0; i < 3; i++) {
      const s = await connect(p.addr);
      await closed(s);
    }
    p.stopChaos();
    expect(p.stats.cuts).toBeGreaterThanOrEqual(3);
  });
});
