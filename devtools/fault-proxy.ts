/**
 * A TCP proxy that injects network faults between a client and a server, on command or at random
 * from a seed (so a failing run can be replayed). Point the client at `proxy.addr` instead of
 * the server's address.
 *
 * Faults, by what the endpoints observe:
 * - cut(): every current link is reset; new connections are accepted (a flaky network);
 * - down(): links are reset and new connections refused until up() (a partition);
 * - blackhole(): links stay open but bytes vanish both ways (a paused or wedged peer);
 * - delay(ms): bytes are forwarded after `ms` (a slow link);
 * - startChaos(): cuts at random intervals drawn from the seed.
 */
import { EventEmitter } from "node:events";
import net from "node:net";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { logger } from "../runtime/log.js";

const log = logger("faultproxy");

export interface FaultProxyOptions {
  /** The real server, `host:port`. */
  target: string;
  host?: string;
  port?: number;
}

export interface ChaosOptions {
  seed: number;
  /** Each cut follows the previous one after a delay drawn uniformly from this range, in ms. */
  cutEveryMs: [number, number];
}

export interface FaultStats {
  connections: number;
  cuts: number;
  refused: number;
  swallowedBytes: number;
}

interface Link {
  client: net.Socket;
  server: net.Socket;
}

/** Emits "swallowed" (bytes) when the blackhole eats data, so tests can await it. */
export class FaultProxy extends EventEmitter {
  readonly addr: string;
  readonly stats: FaultStats = { connections: 0, cuts: 0, refused: 0, swallowedBytes: 0 };
  readonly #server: net.Server;
  readonly #target: { host: string; port: number };
  readonly #links = new Set<Link>();
  #down = false;
  #blackhole = false;
  #delayMs = 0;
  #chaos: NodeJS.Timeout | undefined;

  private constructor(server: net.Server, addr: string, target: { host: string; port: number }) {
    super();
    this.#server = server;
    this.addr = addr;
    this.#target = target;
    server.on("connection", (s) => this.#accept(s));
  }

  static async start(opts: FaultProxyOptions): Promise<FaultProxy> {
    const server = net.createServer({ noDelay: true });
    const host = opts.host ?? "127.0.0.1";
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(opts.port ?? 0, host, () => resolve());
    });
    const { port } = server.address() as net.AddressInfo;
    return new FaultProxy(server, `${host}:${port}`, parseAddr(opts.target));
  }

  /** Resets every current link; the proxy keeps accepting. */
  cut(): void {
    this.stats.cuts++;
    log("cut %d links", this.#links.size);
    for (const l of [...this.#links]) this.#drop(l);
  }

  /** Partition: cut every link and refuse new connections until up(). */
  down(): void {
    this.#down = true;
    this.cut();
  }

  up(): void {
    this.#down = false;
  }

  /** While on, bytes in both directions are swallowed; connections stay open. */
  blackhole(on = true): void {
    this.#blackhole = on;
  }

  /** Forwards every byte after `ms` (0: at once). */
  delay(ms: number): void {
    this.#delayMs = ms;
  }

  /** Cuts links at random intervals drawn from the seed, until stopChaos(). */
  startChaos(opts: ChaosOptions): void {
    this.stopChaos();
    const rng = xoroshiro128plus(opts.seed);
    const [lo, hi] = opts.cutEveryMs;
    const next = () => {
      this.#chaos = setTimeout(
        () => {
          this.cut();
          next();
        },
        uniformInt(rng, lo, hi),
      );
    };
    next();
  }

  stopChaos(): void {
    clearTimeout(this.#chaos);
    this.#chaos = undefined;
  }

  async close(): Promise<void> {
    this.stopChaos();
    for (const l of [...this.#links]) this.#drop(l);
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(client: net.Socket): void {
    if (this.#down) {
      this.stats.refused++;
      client.destroy();
      return;
    }
    this.stats.connections++;
    client.setNoDelay(true);
    const server = net.connect({ ...this.#target, noDelay: true });
    const link = { client, server };
    this.#links.add(link);
    this.#forward(client, server);
    this.#forward(server, client);
    for (const s of [client, server]) {
      s.on("error", () => this.#drop(link));
      s.on("close", () => this.#drop(link));
    }
  }

  #forward(from: net.Socket, to: net.Socket): void {
    from.on("data", (chunk: Buffer) => {
      if (this.#blackhole) {
        this.stats.swallowedBytes += chunk.length;
        this.emit("swallowed", chunk.length);
        return;
      }
      if (this.#delayMs > 0) {
        setTimeout(() => to.destroyed || to.write(chunk), this.#delayMs);
      } else if (!to.write(chunk)) {
        // Propagate backpressure instead of buffering without bound inside the proxy.
        from.pause();
        to.once("drain", () => from.resume());
      }
    });
  }

  #drop(l: Link): void {
    if (!this.#links.delete(l)) return;
    // resetAndDestroy sends RST, as a real network failure would, rather than a clean FIN.
    l.client.resetAndDestroy();
    l.server.resetAndDestroy();
  }
}

function parseAddr(addr: string): { host: string; port: number } {
  const i = addr.lastIndexOf(":");
  const port = Number(addr.slice(i + 1));
  if (i <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`bad address ${JSON.stringify(addr)}: expected host:port`);
  }
  return { host: addr.slice(0, i), port };
}
