/**
 * A client's token as the hello carries it. The client does not verify its own token (it holds
 * no keys); it only reads the user claim so that Tattach's uname matches it by default.
 */
// The parser alone: importing the auth room's index would load key files and signing on every client start.
import { parseToken } from "../../auth/token-format.js";

export function tokenBytes(token: string | undefined): Uint8Array | undefined {
  return token === undefined || token === "" ? undefined : new TextEncoder().encode(token);
}

/** The token's user, or undefined when there is no token or it cannot be read. */
export function tokenUser(token: string | undefined): string | undefined {
  if (token === undefined || token === "") return undefined;
  try {
    return parseToken(token).claims.user;
  } catch {
    // The server refuses it with the reason; the client has nothing to add.
    return undefined;
  }
}
