/**
 * The page's login: the sigma token the user pasted, sent as `Authorization: Bearer` with every
 * API request and the event stream. It is kept in sessionStorage: it survives a reload of the
 * tab but not the tab (nor another tab, which logs in by itself), and is never sent by the
 * browser on its own as a cookie would be, so another site cannot make requests with it.
 * Never localStorage, which outlives the session and is shared by every tab. A script running
 * in the page could read it; the Content-Security-Policy lets no script but the console's own
 * run. Logging out forgets the token here; it stays valid (it is a bearer token) until it expires.
 */
import { Store } from "./store.js";

const KEY = "sigma-console-token";

export interface SessionState {
  /** The token sent with every request; null: the console's own principal, or not logged in. */
  token: string | null;
  /** Set when the console wants a login: where to check a token, and the one line to show. */
  gate: { loginPath: string; error: string | null } | null;
  /** Bumped at every login, log-out and refusal: the page starts afresh as the new principal. */
  epoch: number;
}

class Session {
  readonly state = new Store<SessionState>({ token: stored(), gate: null, epoch: 0 });

  get token(): string | null {
    return this.state.value.token;
  }

  /** `token` was accepted at the login path: from now on the page acts as it. */
  logIn(token: string): void {
    try {
      sessionStorage.setItem(KEY, token);
    } catch {
      // Storage refused (private mode, quota): the token lives in memory until a reload.
    }
    this.#set({ token, gate: null });
  }

  /**
   * Forgets the token: the page starts afresh as the console's own principal, or, if the
   * console requires a login, its first request is refused and the login form shows.
   */
  logOut(): void {
    forget();
    this.#set({ token: null, gate: null });
  }

  /**
   * The console answered 401: `sent` was refused (or no token was sent and one is needed).
   * A refusal of a token other than the current one is old news and changes nothing.
   */
  refused(sent: string | null, loginPath: string, error: string | null): void {
    if (sent !== this.token) return;
    if (sent === null && this.state.value.gate !== null) return;
    forget();
    this.#set({ token: null, gate: { loginPath, error } });
  }

  #set(s: Pick<SessionState, "token" | "gate">): void {
    this.state.set({ ...s, epoch: this.state.value.epoch + 1 });
  }
}

function forget(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Storage refused: nothing was kept there.
  }
}

function stored(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

/** The page's one session. */
export const session = new Session();

/** The headers that make a request the logged-in principal's (none for the console's own). */
export function authHeaders(token: string | null = session.token): Record<string, string> {
  return token === null ? {} : { authorization: `Bearer ${token}` };
}
