/**
 * Who the page acts as. With authentication (sigmats tokens, another issue) this is where the
 * login form goes: it posts the token to `auth.loginPath`, and the server then answers every
 * request as that principal. Until then the console acts as its own user.
 */
import type { JSX } from "preact";
import type { AuthInfo } from "../../api-types.js";

export function AuthSlot({ auth }: { auth: AuthInfo }): JSX.Element {
  return (
    <span
      class="auth muted"
      title={auth.mode === "none" ? "no login: authentication is not there yet" : ""}
    >
      as <strong>{auth.principal}</strong>
    </span>
  );
}
