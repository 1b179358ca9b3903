/**
 * A progress bar for long transfers (`put`, `cat`): bytes done, total and rate on stderr, only
 * when stderr is a terminal (never in a pipe or a log) and only past PROGRESS_MIN_BYTES, so short
 * transfers stay silent. cli-progress draws it (throttled redraws, terminal width, cursor
 * handling); it is loaded only when a bar is shown.
 */
import { Transform, type TransformCallback, type Writable } from "node:stream";

/** Transfers shorter than this show no bar. */
export const PROGRESS_MIN_BYTES = 4 << 20;

interface Bar {
  start(total: number, value: number, payload: object): void;
  update(value: number, payload: object): void;
  stop(): void;
}

/**
 * A pass-through stream that counts the bytes it carries and, on a terminal, shows them.
 * `total` is the expected size when known (a stat, a regular file on stdin).
 */
export class ProgressMeter extends Transform {
  bytes = 0;
  readonly #label: string;
  readonly #total: number | undefined;
  readonly #tty: Writable | null;
  readonly #started = performance.now();
  #bar: Bar | null = null;
  #loading: Promise<void> | null = null;
  #finished = false;

  /** `stderr` null: never a bar. */
  constructor(label: string, total: number | undefined, stderr: Writable | null) {
    super();
    this.#label = label;
    this.#total = total;
    this.#tty = (stderr as Partial<NodeJS.WriteStream> | null)?.isTTY === true ? stderr : null;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    this.#show();
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    this.done().then(() => cb(), cb);
  }

  /** Draws the final state and leaves the line; a transfer that failed calls it too. */
  async done(): Promise<void> {
    this.#finished = true;
    await this.#loading;
    const bar = this.#bar;
    this.#bar = null;
    if (bar === null) return;
    bar.update(this.bytes, this.#payload());
    bar.stop();
  }

  #show(): void {
    if (this.#tty === null || this.#finished) return;
    if (this.#bar !== null) return this.#bar.update(this.bytes, this.#payload());
    const expected = Math.max(this.#total ?? 0, this.bytes);
    if (this.#loading === null && expected >= PROGRESS_MIN_BYTES)
      this.#loading = this.#load().catch(() => undefined); // no bar is no failure
  }

  async #load(): Promise<void> {
    const { default: cliProgress } = await import("cli-progress");
    const known = this.#total !== undefined;
    const bar = new cliProgress.SingleBar({
      stream: this.#tty ?? undefined,
      format: known
        ? `${this.#label} [{bar}] {percentage}% | {done} of {size} | {rate}`
        : `${this.#label} {done} | {rate}`,
      barsize: 30,
      hideCursor: true,
    });
    bar.start(this.#total ?? 0, this.bytes, this.#payload());
    this.#bar = bar;
  }

  #payload(): { done: string; size: string; rate: string } {
    const s = Math.max((performance.now() - this.#started) / 1000, 1e-3);
    return {
      done: formatBytes(this.bytes),
      size: formatBytes(this.#total ?? this.bytes),
      rate: `${formatBytes(this.bytes / s)}/s`,
    };
  }
}

/** `512 B`, `3.4 MiB`, `1.2 GiB`. */
export function formatBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${Math.round(v)} B` : `${v.toFixed(1)} ${units[u]}`;
}
