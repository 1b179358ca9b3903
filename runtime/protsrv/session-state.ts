/**
 * protsrv's state per session (spec 4.1): the fid table, the ephemeral set (object identities,
 * deviation 4), the detach callbacks of server code, and an abort that detach fires so that waits
 * end even when the caller's own signal does not.
 */
import type { FsObj } from "../fs/index.js";
import type { FenceEntry } from "./fence-table.js";
import { FidBudget, FidTable } from "./fid-table.js";
import type { ProtLimits } from "./limits.js";
import { ObjRefs } from "./obj-refs.js";

export type DetachCallback = () => void | Promise<void>;

export class SessionState {
  readonly id: bigint;
  readonly fids: FidTable;
  readonly ephemeral = new Map<bigint, FsObj>();
  readonly detachCallbacks = new Set<DetachCallback>();
  /** The fence entries this session has presented (spec 4.9); let go at its end. */
  readonly fences = new Set<FenceEntry>();
  readonly closing = new AbortController();
  closed = false;

  constructor(id: bigint, limits: ProtLimits, fidBudget: FidBudget) {
    this.id = id;
    this.fids = new FidTable(id, limits.maxFidsPerSession, fidBudget);
  }
}

/** Every live session's state, created on first use and dropped at detach. */
export class Sessions {
  readonly #byId = new Map<bigint, SessionState>();
  /** Object id → the sessions whose ephemeral sets hold it, so a remove can drop it everywhere. */
  readonly #owners = new Map<bigint, Set<SessionState>>();
  readonly #limits: ProtLimits;
  readonly #fidBudget: FidBudget;

  /** How many fids name each object, over all sessions. */
  readonly refs = new ObjRefs();

  constructor(limits: ProtLimits) {
    this.#limits = limits;
    this.#fidBudget = new FidBudget(limits.maxFids, this.refs);
  }

  /** Fids held over all sessions. */
  get fidCount(): number {
    return this.#fidBudget.used;
  }

  get size(): number {
    return this.#byId.size;
  }

  get(id: bigint): SessionState {
    let st = this.#byId.get(id);
    if (st === undefined) {
      st = new SessionState(id, this.#limits, this.#fidBudget);
      this.#byId.set(id, st);
    }
    return st;
  }

  peek(id: bigint): SessionState | undefined {
    return this.#byId.get(id);
  }

  /** Forgets a session; its state object lives on only in requests still holding it. */
  end(id: bigint): SessionState | undefined {
    const st = this.#byId.get(id);
    if (st === undefined) return undefined;
    this.#byId.delete(id);
    st.closed = true;
    return st;
  }

  addEphemeral(st: SessionState, obj: FsObj): void {
    st.ephemeral.set(obj.id, obj);
    let owners = this.#owners.get(obj.id);
    if (owners === undefined) {
      owners = new Set();
      this.#owners.set(obj.id, owners);
    }
    owners.add(st);
  }

  /** The object was removed: no ephemeral set holds it any longer. */
  dropEphemeral(obj: FsObj): void {
    const owners = this.#owners.get(obj.id);
    if (owners === undefined) return;
    for (const st of owners) st.ephemeral.delete(obj.id);
    this.#owners.delete(obj.id);
  }

  /**
   * Takes one object out of a session's ephemeral set and the index, for the session's cleanup
   * (which iterates `st.ephemeral` in slices, so objects others remove meanwhile drop out of it).
   */
  takeEphemeral(st: SessionState, obj: FsObj): void {
    st.ephemeral.delete(obj.id);
    const owners = this.#owners.get(obj.id);
    owners?.delete(st);
    if (owners?.size === 0) this.#owners.delete(obj.id);
  }
}
