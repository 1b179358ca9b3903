/**
 * Who wrote etcd, read from etcd itself (tests): watches a realm's prefix from one revision on
 * and attributes every revision to a leader term. A committer transaction ends with the writer
 * mark (`<prefix>writer` = the fence revision it compared, runtime/fs-etcd/committer.ts), a
 * campaign creates `<prefix>leader` (its create revision is the new fence), and the end of a
 * term's lease deletes it. So a marked revision whose mark is not the fence of the leader key
 * live at that revision was written by a leader outside its term; an unmarked put, or a revision
 * with no event under the prefix, was written by something else. Both are violations. Unmarked
 * deletes of other keys (a session's lease ran out or was revoked) are kept apart: a test says
 * whether it expects any.
 */
import type { Etcd3, IEvent, Watcher } from "etcd3";

export class TermAudit {
  /** Revisions written by each fence's transactions. */
  readonly writes = new Map<number, number[]>();
  /** Fences of the terms that began, in order. */
  readonly fences: number[] = [];
  readonly violations: string[] = [];
  /** Keys deleted outside any transaction of a leader (lease expiry or revoke), by revision. */
  readonly unmarkedDeletes: string[] = [];
  readonly #leader: Buffer;
  readonly #writer: Buffer;
  readonly #client: Etcd3;
  #watcher: Watcher | undefined;
  /** The live leader key's create revision at the last audited revision. */
  #fence: number | undefined;
  /** The last audited revision. */
  #last: number;
  #caughtUp: (() => void) | undefined;
  #target = Infinity;

  private constructor(client: Etcd3, prefix: string, from: number, fence: number | undefined) {
    this.#client = client;
    this.#leader = Buffer.from(`${prefix}leader`);
    this.#writer = Buffer.from(`${prefix}writer`);
    this.#last = from;
    this.#fence = fence;
  }

  /** Starts auditing after the current revision, knowing which term is live there. */
  static async start(client: Etcd3, prefix: string): Promise<TermAudit> {
    const res = await client.kv.range({ key: Buffer.from(`${prefix}leader`) });
    const kv = res.kvs[0];
    const from = Number(res.header.revision);
    const audit = new TermAudit(client, prefix, from, kv && Number(kv.create_revision));
    const w = await client
      .watch()
      .prefix(prefix)
      .startRevision(String(from + 1))
      .create();
    w.on("data", (r) => audit.#events(r.events));
    audit.#watcher = w;
    return audit;
  }

  /** The revision audited last. */
  get last(): number {
    return this.#last;
  }

  /** Revisions fence `fence` wrote after revision `after`. */
  writesOf(fence: number, after = 0): number[] {
    return (this.writes.get(fence) ?? []).filter((r) => r > after);
  }

  /** Resolves once every revision etcd has committed by now is audited, then stops watching. */
  async finish(): Promise<void> {
    const now = Number((await this.#client.kv.range({ key: this.#leader })).header.revision);
    await new Promise<void>((resolve) => {
      this.#target = now;
      this.#caughtUp = resolve;
      if (this.#last >= now) resolve();
    });
    await this.#watcher?.cancel();
  }

  #events(events: IEvent[]): void {
    // etcd sends all events of one revision in one watch response (this watch does not ask for
    // fragments), in revision order.
    for (let i = 0; i < events.length;) {
      const rev = events[i]!.kv.mod_revision;
      let j = i;
      while (j < events.length && events[j]!.kv.mod_revision === rev) j++;
      this.#audit(events.slice(i, j));
      i = j;
    }
    if (this.#last >= this.#target) this.#caughtUp?.();
  }

  #audit(events: IEvent[]): void {
    const rev = Number(events[0]!.kv.mod_revision);
    for (let missing = this.#last + 1; missing < rev; missing++) {
      this.violations.push(`revision ${missing}: nothing under the prefix (a write elsewhere)`);
    }
    this.#last = rev;
    const isKey = (e: IEvent, k: Buffer): boolean => e.kv.key.equals(k);
    const mark = events.find((e) => e.type === "Put" && isKey(e, this.#writer));
    if (mark !== undefined) {
      const fence = Number(mark.kv.value.toString());
      if (fence !== this.#fence) {
        this.violations.push(
          `revision ${rev}: written under fence ${fence} while the leader's fence was ${String(this.#fence)}`,
        );
      }
      if (events.some((e) => isKey(e, this.#leader))) {
        this.violations.push(`revision ${rev}: a leader's transaction touched the election key`);
      }
      const list = this.writes.get(fence) ?? [];
      list.push(rev);
      this.writes.set(fence, list);
      return;
    }
    for (const e of events) {
      const key = e.kv.key.toString();
      if (isKey(e, this.#leader) && e.type === "Put") {
        // A campaign: the key created (compared absent) in a transaction of its own.
        if (this.#fence !== undefined || Number(e.kv.create_revision) !== rev) {
          this.violations.push(`revision ${rev}: the election key put while held`);
        }
        this.#fence = rev;
        this.fences.push(rev);
      } else if (isKey(e, this.#leader)) {
        this.#fence = undefined;
      } else if (e.type === "Delete") {
        this.unmarkedDeletes.push(`revision ${rev}: ${key}`);
      } else {
        this.violations.push(`revision ${rev}: ${key} put without a writer mark`);
      }
    }
  }
}
