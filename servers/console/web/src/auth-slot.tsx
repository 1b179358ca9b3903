/**
 * Who the page acts as. The page has no login: it is the console's own principal. API callers
 * may send `Authorization: Bearer <token>` and are then the token's principal (bearer-auth.ts);
 * a login form would go here, keeping the token and sending it the same way.
 */
import type { JSX } from "preact";
import type { AuthInfo } from "../../api-types.js";

export function AuthSlot({ auth }: { auth: AuthInfo }): JSX.Element {
  return (
    <span
      class="auth muted"
      title={
        auth.mode === "none"
          ? "the console's own principal (no login page; API callers may send a bearer token)"
          : ""
      }
    >
      as <strong>{auth.principal}</strong>
    </span>
  );
}
