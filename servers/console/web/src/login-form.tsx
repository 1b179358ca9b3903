/**
 * The login form: the user pastes a sigma token (`sigma token issue …`); the console checks it
 * at its login path (named verifies it), and the page keeps it for the tab (session.ts). A
 * refusal is one line under the field.
 */
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { checkToken, errorMessage } from "./api.js";
import { session } from "./session.js";

export function LoginForm(props: {
  loginPath: string;
  /** Why the form shows (an expired or refused token), until the next try. */
  error: string | null;
  onCancel?: () => void;
}): JSX.Element {
  const [token, setToken] = useState("");
  const [error, setError] = useState(props.error);
  const [busy, setBusy] = useState(false);

  const submit = async (ev: Event) => {
    ev.preventDefault();
    const t = token.trim();
    if (t === "") return setError("paste a sigma token (sigma token issue …)");
    setBusy(true);
    try {
      await checkToken(props.loginPath, t);
      session.logIn(t);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <form class="login" aria-label="log in" onSubmit={(ev) => void submit(ev)}>
      <label>
        sigma token
        <input
          type="password"
          name="token"
          autocomplete="off"
          spellcheck={false}
          placeholder="paste the output of sigma token issue"
          value={token}
          onInput={(ev) => setToken((ev.target as HTMLInputElement).value)}
        />
      </label>
      <button type="submit" disabled={busy}>
        Log in
      </button>
      {props.onCancel === undefined ? null : (
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      )}
      {error === null ? null : (
        <p role="alert" class="error login-error">
          {error}
        </p>
      )}
    </form>
  );
}
