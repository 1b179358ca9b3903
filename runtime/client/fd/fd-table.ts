/**
 * File descriptors (spec 6.3): small integers, the lowest free one reused, so a long-lived client
 * never grows its table without bound.
 */
import { ErrCode } from "../../../generated/sigmap/types.js";
import { SigmaError } from "../../errors/index.js";

/** Descriptor allocation, lowest free first; a closed or unknown descriptor is BadFd. */
export class FdTable<T> {
  readonly #slots: (T | undefined)[] = [];

  /** Stores `value` under the lowest free descriptor. */
  alloc(value: T): number {
    let fd = this.#slots.indexOf(undefined);
    if (fd < 0) fd = this.#slots.length;
    this.#slots[fd] = value;
    return fd;
  }

  /** The value of an open descriptor; a closed or unknown one throws BadFd. */
  get(fd: number): T {
    const v = Number.isInteger(fd) && fd >= 0 ? this.#slots[fd] : undefined;
    if (v === undefined) throw new SigmaError(ErrCode.BadFd, String(fd));
    return v;
  }

  /** Closes a descriptor and returns its value; a closed or unknown one throws BadFd. */
  free(fd: number): T {
    const v = this.get(fd);
    this.#slots[fd] = undefined;
    while (this.#slots.length > 0 && this.#slots[this.#slots.length - 1] === undefined) {
      this.#slots.pop();
    }
    return v;
  }

  /** Open descriptors with their values. */
  entries(): [number, T][] {
    const out: [number, T][] = [];
    this.#slots.forEach((v, fd) => {
      if (v !== undefined) out.push([fd, v]);
    });
    return out;
  }
}
