/**
 * The raw-TCP baseline's one piece of protocol: the first byte a client sends says how the
 * server writes its replies, so that one server process serves both baselines.
 */
export const TcpMode = {
  /** One socket write per reply, as a simple server does. */
  perMessage: 0x4d,
  /** One write for all replies to the frames of one read: the ceiling. */
  batched: 0x42,
} as const;

export type TcpMode = (typeof TcpMode)[keyof typeof TcpMode];
