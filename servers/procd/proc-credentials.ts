/**
 * What a proc is given to reach a keyed or TLS named (docs/security.md, "procd"): a token of its
 * spawner's user, realm and role, signed by procd's own key (whose public half the realm's
 * servers accept, so procd speaks for its spawners and nobody else does), with a short life; and
 * the path of the CA its FsLib trusts. Without a spawner principal (an open procd) a proc gets no
 * token: there is nobody to speak for. The token is renewed over the proc's channel at each half
 * of its life, so a proc that outlives one still reconnects and opens sessions as its spawner.
 */
import type { KeyObject } from "node:crypto";
import { issueToken, type Principal } from "../../runtime/auth/index.js";
import type { FromProcd } from "../../runtime/proc-channel/index.js";

/** The part of a proc's channel renewal needs. */
export interface TokenChannel {
  send(msg: FromProcd): boolean;
  onClose(fn: () => void): void;
}

/** Default lifetime of a proc's token: one hour, as `sigma token issue`'s. */
export const PROC_TOKEN_TTL_MS = 60 * 60 * 1000;

export interface ProcCredentialsOptions {
  /** procd's Ed25519 private key; none: procs get no token. */
  key?: KeyObject | undefined;
  ttlMs?: number | undefined;
  /** The CA file (PEM) procs' FsLibs trust; passed as SIGMA_TLS_CA. */
  caFile?: string | undefined;
}

export class ProcCredentials {
  readonly #key: KeyObject | undefined;
  readonly #ttlMs: number;
  readonly caFile: string | null;

  constructor(o: ProcCredentialsOptions) {
    this.#key = o.key;
    this.#ttlMs = o.ttlMs ?? PROC_TOKEN_TTL_MS;
    this.caFile = o.caFile ?? null;
    if (!Number.isFinite(this.#ttlMs) || this.#ttlMs <= 0) {
      throw new RangeError("procd: procTokenTtlMs must be positive");
    }
  }

  /** The proc's token: its spawner's user, realm and role, never more; null without either. */
  tokenFor(spawner: Principal | null): string | null {
    if (this.#key === undefined || spawner === null) return null;
    const { user, realm, role } = spawner;
    return issueToken(this.#key, { user, realm, role, ttlMs: this.#ttlMs });
  }

  /**
   * Sends the proc a fresh token (`{"t":"token","token":...}`) every half of its life until the
   * channel closes, so the token it holds always has half a life left. Nothing without a token.
   */
  renewOver(channel: TokenChannel, spawner: Principal | null): void {
    if (this.#key === undefined || spawner === null) return;
    const timer = setInterval(() => {
      const token = this.tokenFor(spawner);
      if (token !== null) channel.send({ t: "token", token });
    }, this.#ttlMs / 2);
    // A proc that ended must not keep procd's event loop alive.
    timer.unref();
    channel.onClose(() => clearInterval(timer));
  }
}
