/**
 * Descriptors: what generated registry.ts files say about each message, and what a protocol is.
 * A descriptor is data plus the message's two codec functions; it lists only the flags that are
 * set. The runtime compiles descriptors once (registry.ts) into uniform MessageInfo records and
 * drives clients, dispatchers and the session layer from those; nothing switches on a type.
 */
import type { ErrorCodeInfo } from "../errors/index.js";

/**
 * The semantic flags a schema annotation sets on a message (`@fenced`, `@blocking`, ...), as the
 * runtime reads them. The generator's list of annotations (codegen/annotations.ts) must name the
 * same flags; tests/codegen/annotations.test.ts holds the two together.
 */
export const MESSAGE_FLAGS = [
  "fenced",
  "blocking",
  "data",
  "unordered",
  "hello",
  "keepalive",
  "detach",
  "error",
] as const;

export type MessageFlag = (typeof MESSAGE_FLAGS)[number];

/** A descriptor's flags: present (and `true`) only when the schema sets them. */
export type SparseFlags = { readonly [F in MessageFlag]?: true };

/** One message of a protocol as generated code describes it. */
export interface MessageDesc<T = unknown> extends SparseFlags {
  /** The message type number (Tfcall). */
  readonly type: number;
  readonly name: string;
  // Method syntax on purpose: it lets a concrete descriptor stand in for MessageDesc<unknown>.
  /** The body as a positional array, without the data payload. */
  encode(m: T): unknown[];
  /** Throws only SigmaError(BadFcall); `data` is the frame's payload. */
  decode(body: unknown, data?: Uint8Array): T;
}

/** A request: a message with a reply. */
export interface RequestDesc<Req = unknown, Rep = unknown> extends MessageDesc<Req> {
  readonly reply: MessageDesc<Rep>;
  /**
   * The client method and handler name (`Tgetfile` → `getfile`); absent for messages the
   * session layer answers itself (hello, keepalive).
   */
  readonly method?: string;
}

/** A protocol: what a generated registry.ts hands to createRegistry. */
export interface ProtocolDesc {
  /** The name a hello carries, e.g. `sigmap`. */
  readonly name: string;
  readonly version: number;
  /** Digest of the wire contract (codegen/fingerprint.ts). */
  readonly fingerprint: string;
  /** Every message, requests and replies, in any order. */
  readonly messages: readonly MessageDesc[];
  /**
   * The error-code table. The runtime raises BadFcall (malformed input), NotSupported (no such
   * method) and Error (anything else a handler throws) by these names, so the table must have
   * them; a schema without a table of its own uses sigmap's.
   */
  readonly errors: readonly ErrorCodeInfo[];
}

/** Whether a descriptor is a request's. */
export function isRequestDesc(d: MessageDesc): d is RequestDesc {
  return "reply" in d;
}
