/**
 * A session's scheduler (spec 3.6): runs at most one request at a time, in arrival order. A
 * request that parks (it waits on another client) or completes releases its turn, and the next
 * one starts. So requests start in order and a parked request never holds back later ones.
 */
import { FAILPOINTS, failpointFires } from "../../failpoints.js";

export interface ScheduledTask {
  /** Starts the task; it later calls `release` once it parks or completes. */
  start(): void;
}

export class SessionScheduler<T extends ScheduledTask> {
  private queue: (T | undefined)[] = [];
  private head = 0;
  private current: T | null = null;
  // Guards against re-entrance when a task parks or completes synchronously inside start(): the
  // loop in pump() then starts the next task instead of a nested call, so depth stays constant.
  private pumping = false;

  /** Requests waiting for their turn (the running one excluded). */
  get queued(): number {
    return this.queue.length - this.head;
  }

  /** Runs `task` at once if the session is idle, else after the tasks before it. */
  submit(task: T): void {
    this.queue.push(task);
    if (this.current === null) this.pump();
  }

  /** Ends `task`'s turn; a no-op unless it holds the turn, so parking twice is harmless. */
  release(task: T): void {
    if (this.current !== task) return;
    this.current = null;
    this.pump();
  }

  /** Removes and returns every task not yet started (the session is closing). */
  drain(): T[] {
    const rest = this.queue.slice(this.head) as T[];
    this.queue = [];
    this.head = 0;
    return rest;
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.current === null && this.head < this.queue.length) {
        if (FAILPOINTS.reorder && this.head + 1 < this.queue.length) this.swapFailpoint();
        const task = this.queue[this.head] as T;
        // Drop the reference so a finished request is not kept alive by the queue.
        this.queue[this.head] = undefined;
        this.head++;
        this.compact();
        this.current = task;
        task.start();
      }
    } finally {
      this.pumping = false;
    }
  }

  // A planted bug (failpoints.ts): the next two queued requests trade places.
  private swapFailpoint(): void {
    if (!failpointFires("reorder")) return;
    const first = this.queue[this.head];
    this.queue[this.head] = this.queue[this.head + 1];
    this.queue[this.head + 1] = first;
  }

  // An array with a moving head avoids shift()'s copying; reset it whenever it empties.
  private compact(): void {
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}
