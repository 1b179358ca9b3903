/**
 * Server-side liveness (spec 3.7, 3.9): a session is alive while it has a connection. One timer
 * per server, never per request: every sweep detaches sessions whose connection has been gone
 * longer than the session timeout, and forgets closed sessions past their grace period.
 */
import type { SessionTable } from "./session-table.js";

export interface LivenessOptions {
  sessionTimeoutMs: number;
  sweepIntervalMs: number;
  closedGraceMs: number;
}

export class LivenessSweeper {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly table: SessionTable,
    private readonly opts: LivenessOptions,
    private readonly now: () => number = () => performance.now(),
  ) {}

  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.sweep(), this.opts.sweepIntervalMs);
    // The sweep must not keep a process alive that has nothing else to do.
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  sweep(): void {
    const now = this.now();
    const expired = now - this.opts.sessionTimeoutMs;
    for (const session of this.table.disconnected) {
      if (session.conn === null && session.disconnectedAt < expired) {
        this.table.disconnected.delete(session);
        void session.detach();
      }
    }
    this.table.forgetClosedBefore(now - this.opts.closedGraceMs);
  }
}
