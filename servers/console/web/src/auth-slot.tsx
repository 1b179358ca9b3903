/**
 * Who the page acts as. Logged in with a token: its user, role and expiry, and a log-out.
 * Otherwise the console's own principal, with a "Log in…" that opens the token form where the
 * console takes tokens (docs/console.md, "Logging in").
 */
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import type { AuthInfo } from "../../api-types.js";
import { formatTime } from "./format.js";
import { LoginForm } from "./login-form.js";
import { session } from "./session.js";

export function AuthSlot({ auth }: { auth: AuthInfo }): JSX.Element {
  const [open, setOpen] = useState(false);
  const t = auth.token;
  if (t !== undefined) {
    return (
      <span class="auth" data-testid="auth">
        as <strong data-testid="auth-user">{t.user}</strong>{" "}
        <span class="badge" data-testid="auth-role">
          {t.role}
        </span>{" "}
        <span class="muted" data-testid="auth-expires">
          until {formatTime(Math.floor(t.expires / 1000))}
        </span>{" "}
        <button type="button" onClick={() => session.logOut()}>
          Log out
        </button>
      </span>
    );
  }
  return (
    <span class="auth" data-testid="auth">
      <span
        class="muted"
        title={auth.mode === "none" ? "the console's own principal: no token sent" : ""}
      >
        as <strong data-testid="auth-user">{auth.principal}</strong>
      </span>{" "}
      {auth.loginPath === null ? null : open ? (
        <LoginForm loginPath={auth.loginPath} error={null} onCancel={() => setOpen(false)} />
      ) : (
        <button type="button" onClick={() => setOpen(true)}>
          Log in…
        </button>
      )}
    </span>
  );
}
