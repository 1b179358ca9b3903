/**
 * One message as the generated registry describes it. The runtime reads protocol semantics
 * (fencing, blocking, data, ordering) from here instead of hard-coding lists of message types.
 */
export interface MessageInfo {
  readonly type: number;
  readonly name: string;
  readonly kind: "request" | "reply";
  /** For a request: its reply's type. */
  readonly reply: number | null;
  /** For a reply: the types of the requests it answers. */
  readonly answers: readonly number[];
  readonly fenced: boolean;
  readonly blocking: readonly ("always" | "owatch" | "pipe")[];
  readonly data: boolean;
  readonly unordered: boolean;
  readonly hello: boolean;
  readonly keepalive: boolean;
  /** The session ends once this request has been answered. */
  readonly detach: boolean;
  readonly error: boolean;
}
