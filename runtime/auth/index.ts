/**
 * Tokens (issue 15): Ed25519-signed statements of who a client is, in which realm, with which
 * role. Ground level: node builtins and runtime/errors only, so every room may use it. See
 * docs/security.md.
 */
export {
  ROLES,
  badRealm,
  badUser,
  isRole,
  type Principal,
  type Role,
  type TokenClaims,
} from "./claims.js";
export { parseDuration } from "./duration.js";
export { DEFAULT_TTL_MS, issueToken, type IssueRequest } from "./issue-token.js";
export {
  KeyFileError,
  loadAuthKeys,
  readSigningKey,
  writeKeyPair,
  type WrittenKeyPair,
} from "./key-files.js";
export { keyId } from "./key-id.js";
export { KeyRing } from "./key-ring.js";
export { secretsEqual } from "./secrets-equal.js";
export { isTokenError, TOKEN_REFUSALS, TokenError, type TokenRefusal } from "./token-error.js";
export { MAX_TOKEN_BYTES, TOKEN_PREFIX, parseToken } from "./token-format.js";
export {
  DEFAULT_SKEW_MS,
  MAX_SKEW_MS,
  verifyToken,
  type VerifiedToken,
  type VerifyOptions,
} from "./verify-token.js";
