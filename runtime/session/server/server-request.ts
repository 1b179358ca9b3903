/**
 * One accepted request of a session: what its handler sees as RequestContext, and the task the
 * session's scheduler runs. One object per request serves both, to keep the hot path at one
 * allocation.
 */
import type { Header, Tfence } from "../../../generated/sigmap/types.js";
import type { Principal } from "../../auth/index.js";
import type { MessageInfo } from "../../contract/index.js";
import type { ReplyEntry } from "./reply-table.js";
import type { ScheduledTask } from "./session-scheduler.js";
import type { RequestContext } from "./server-types.js";

/** What a request needs from its session. */
export interface RequestOwner {
  readonly id: bigint;
  readonly client: bigint;
  readonly principal: Principal | null;
  readonly signal: AbortSignal;
  run(req: ServerRequest): void;
  park(req: ServerRequest): void;
}

export class ServerRequest implements RequestContext, ScheduledTask {
  /** Set once it parks: it then counts against the parked bounds, not the queue's. */
  parked = false;
  /** What its body and data are charged against the request byte budgets until it finishes. */
  bytes = 0;

  constructor(
    private readonly owner: RequestOwner,
    readonly header: Header,
    readonly info: MessageInfo,
    readonly body: unknown,
    readonly data: Uint8Array,
    readonly entry: ReplyEntry,
  ) {}

  get session(): bigint {
    return this.owner.id;
  }

  get client(): bigint {
    return this.owner.client;
  }

  get seqno(): bigint {
    return this.header.seqno;
  }

  get fence(): Tfence {
    return this.header.fence;
  }

  get principal(): Principal | null {
    return this.owner.principal;
  }

  get signal(): AbortSignal {
    return this.owner.signal;
  }

  park(): void {
    // Only requests the registry marks blocking may let later ones overtake them; for any other
    // request parking would break the session's ordering, so it is ignored.
    if (this.info.blocking) this.owner.park(this);
  }

  start(): void {
    this.owner.run(this);
  }
}
