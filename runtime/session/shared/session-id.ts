/**
 * How a session id is named in errors and logs: SessClosed carries it as `obj`, so both sides
 * must spell it the same way.
 */
export function sessionIdHex(id: bigint): string {
  return id.toString(16);
}
