/**
 * The errors the runtime raises on a protocol's behalf: BadFcall (malformed input, an unknown or
 * unexpected message type), NotSupported (no such method) and Error (a handler threw something
 * other than a SigmaError). Their codes and texts come from the error table the descriptors pass
 * in, never from a table registered somewhere else, so generated code works on its own.
 */
import { errorText, isSigmaError, SigmaError, type ErrorCodeInfo } from "../errors/index.js";
import { DecodeError } from "./decode-error.js";

export interface RuntimeCodes {
  readonly badFcall: ErrorCodeInfo;
  readonly notSupported: ErrorCodeInfo;
  readonly error: ErrorCodeInfo;
}

const cache = new WeakMap<readonly ErrorCodeInfo[], RuntimeCodes>();

/** The table's entries for the codes the runtime raises; throws if the table lacks one. */
export function runtimeCodes(errors: readonly ErrorCodeInfo[]): RuntimeCodes {
  let codes = cache.get(errors);
  if (codes === undefined) {
    codes = {
      badFcall: entry(errors, "BadFcall"),
      notSupported: entry(errors, "NotSupported"),
      error: entry(errors, "Error"),
    };
    cache.set(errors, codes);
  }
  return codes;
}

/**
 * What a decoder throws: BadFcall naming where the input went wrong, whatever went wrong with
 * it. `what` names the record being decoded.
 */
export function decodeFailure(
  e: unknown,
  what: string,
  errors: readonly ErrorCodeInfo[],
): SigmaError {
  const bad = runtimeCodes(errors).badFcall;
  if (e instanceof DecodeError) {
    return new SigmaError(bad.code, e.path, `${bad.description}: ${e.message}`);
  }
  return new SigmaError(bad.code, what, `${bad.description}: ${what}: ${errorText(e)}`, {
    cause: e,
  });
}

/**
 * The top-level decoder of a record that `read` reads where it is embedded: whatever is wrong
 * with the input, it fails with decodeFailure.
 */
export function recordDecoder<T>(
  read: (v: unknown, path: string, field: string) => T,
  name: string,
  errors: readonly ErrorCodeInfo[],
): (body: unknown) => T {
  return (body) => {
    try {
      return read(body, name, "");
    } catch (e) {
      throw decodeFailure(e, name, errors);
    }
  };
}

/** BadFcall about `obj`, saying why. */
export function badFcall(errors: readonly ErrorCodeInfo[], obj: string, why: string): SigmaError {
  const bad = runtimeCodes(errors).badFcall;
  return new SigmaError(bad.code, obj, `${bad.description}: ${why}`);
}

/** NotSupported for a method the service does not have. */
export function unknownMethod(errors: readonly ErrorCodeInfo[], method: string): SigmaError {
  return new SigmaError(
    runtimeCodes(errors).notSupported.code,
    method,
    `unknown method: ${method}`,
  );
}

/** A SigmaError as it is; anything else thrown becomes Error with its text as the object. */
export function asSigmaError(e: unknown, errors: readonly ErrorCodeInfo[]): SigmaError {
  if (isSigmaError(e)) return e;
  const { code, description } = runtimeCodes(errors).error;
  const text = errorText(e);
  return new SigmaError(code, text, text === "" ? description : `${description}: ${text}`);
}

function entry(errors: readonly ErrorCodeInfo[], name: string): ErrorCodeInfo {
  const found = errors.find((e) => e.name === name);
  if (found === undefined) {
    throw new Error(`the error table has no ${name} code, which the runtime raises`);
  }
  return found;
}
