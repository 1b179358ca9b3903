/**
 * Request rates for the charts: every interval the sampler reads each server's `.statsd`
 * (spec 10.1) and keeps the last samples. Counters move with every request, and writes never
 * fire watches, so sampling is the only way to see them; the sampler's own reads are among the
 * requests it counts (one Tgetfile per server per interval).
 */
import type { FsLib } from "../../runtime/client/index.js";
import type { StatsSample } from "./api-types.js";
import { dropDeadMount } from "./live-mount.js";

export interface StatsSamplerOptions {
  intervalMs: number;
  /** Samples kept. */
  history: number;
  timeoutMs: number;
  /** The servers to sample, by path (`name` is named). */
  servers(): readonly string[];
  publish(sample: StatsSample): void;
}

export class StatsSampler {
  readonly #fsl: FsLib;
  readonly #o: StatsSamplerOptions;
  readonly #samples: StatsSample[] = [];
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #running: Promise<void> = Promise.resolve();

  constructor(fsl: FsLib, opts: StatsSamplerOptions) {
    this.#fsl = fsl;
    this.#o = opts;
  }

  start(): void {
    this.#tick();
  }

  /** The samples kept, oldest first. */
  history(): StatsSample[] {
    return [...this.#samples];
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /** Takes one sample now (and returns it). */
  async sample(): Promise<StatsSample> {
    const t = Date.now();
    const prev = this.#samples[this.#samples.length - 1];
    const sample: StatsSample = { t, servers: {} };
    await Promise.all(
      this.#o.servers().map(async (server) => {
        const file = server === "name" ? "name/.statsd" : `${server}/.statsd`;
        let counters: Record<string, number>;
        try {
          counters = numbers(await this.#fsl.getFileJson(file, { timeoutMs: this.#o.timeoutMs }));
        } catch (e) {
          await dropDeadMount(this.#fsl, file, e);
          return;
        }
        const before = prev?.servers[server];
        const dt = prev === undefined ? 0 : (t - prev.t) / 1000;
        const rates: Record<string, number> = {};
        if (before !== undefined && dt > 0) {
          for (const [k, v] of Object.entries(counters)) {
            const b = before.counters[k];
            if (b !== undefined && k.startsWith("N")) rates[k] = Math.max(0, (v - b) / dt);
          }
        }
        sample.servers[server] = { counters, rates };
      }),
    );
    this.#samples.push(sample);
    if (this.#samples.length > this.#o.history) this.#samples.shift();
    return sample;
  }

  #tick(): void {
    if (this.#stopped) return;
    this.#running = this.sample()
      .then((s) => this.#o.publish(s))
      .catch(() => undefined)
      .finally(() => {
        if (this.#stopped) return;
        this.#timer = setTimeout(() => this.#tick(), this.#o.intervalMs);
        this.#timer.unref();
      });
  }
}

function numbers(v: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (typeof v !== "object" || v === null) return out;
  for (const [k, x] of Object.entries(v)) if (typeof x === "number") out[k] = x;
  return out;
}
