import { describe, expect, it } from "vitest";
import {
  SessionScheduler,
  type ScheduledTask,
} from "../../runtime/session/server/session-scheduler.js";

class Task implements ScheduledTask {
  constructor(
    readonly name: string,
    private readonly onStart: (t: Task) => void,
  ) {}
  start(): void {
    this.onStart(this);
  }
}

describe("session scheduler", () => {
  it("runs one task at a time in submission order", () => {
    const s = new SessionScheduler<Task>();
    const started: string[] = [];
    const tasks = ["a", "b", "c"].map((n) => new Task(n, (t) => started.push(t.name)));
    for (const t of tasks) s.submit(t);
    expect(started).toEqual(["a"]);
    s.release(tasks[1]!); // not its turn: ignored
    expect(started).toEqual(["a"]);
    s.release(tasks[0]!);
    s.release(tasks[0]!); // twice is harmless
    expect(started).toEqual(["a", "b"]);
    expect(s.queued).toBe(1);
  });

  it("starts the next task without recursion when tasks release synchronously", () => {
    const s = new SessionScheduler<Task>();
    let started = 0;
    let depth = 0;
    let maxDepth = 0;
    const release = (t: Task): void => {
      started++;
      depth++;
      maxDepth = Math.max(maxDepth, depth);
      s.release(t);
      depth--;
    };
    const blocker = new Task("blocker", () => {});
    s.submit(blocker);
    for (let i = 0; i < 10_000; i++) s.submit(new Task(String(i), release));
    s.release(blocker);
    expect(started).toBe(10_000);
    expect(maxDepth).toBe(1);
    expect(s.queued).toBe(0);
  });

  it("drains the tasks not yet started", () => {
    const s = new SessionScheduler<Task>();
    const tasks = ["a", "b", "c"].map((n) => new Task(n, () => {}));
    for (const t of tasks) s.submit(t);
    expect(s.drain().map((t) => t.name)).toEqual(["b", "c"]);
    expect(s.queued).toBe(0);
  });
});
