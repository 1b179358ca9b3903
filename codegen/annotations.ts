/**
 * The message annotations, in one place: the checker accepts exactly these, the model has one
 * flag per entry, the fingerprint, the registry emitter, compat and `sigma schema --summary` all
 * iterate this list. The runtime's list of flags it reads (runtime/contract/descriptors.ts,
 * MESSAGE_FLAGS) names the same; tests/codegen/annotations.test.ts holds the two together.
 */

export interface AnnotationSpec {
  /** The kind of message it may annotate. */
  readonly on: "request" | "reply" | "any";
  /** Its letter in the canonical contract the fingerprint digests. */
  readonly letter: string;
  /** What it means, for the runtime (docs/schema.md says the same). */
  readonly doc: string;
}

export const ANNOTATIONS = {
  fenced: { on: "request", letter: "F", doc: "the client attaches its fence (spec 4.9)" },
  blocking: {
    on: "request",
    letter: "B",
    doc: "may wait for another client; only such a request may park, letting later ones run",
  },
  data: { on: "any", letter: "D", doc: "carries a data payload, the frame's third element" },
  unordered: { on: "request", letter: "O", doc: "bypasses per-session ordering" },
  hello: { on: "any", letter: "H", doc: "the connection-level hello; no method or handler" },
  keepalive: {
    on: "request",
    letter: "K",
    doc: "answered at once by the session layer; no method or handler",
  },
  detach: { on: "request", letter: "X", doc: "the session ends once it has been answered" },
  error: { on: "reply", letter: "E", doc: "the error reply: [code, obj, text]" },
} as const satisfies Record<string, AnnotationSpec>;

export type AnnotationName = keyof typeof ANNOTATIONS;

/** Every annotation name, in the order above. */
export const ANNOTATION_NAMES = Object.keys(ANNOTATIONS) as AnnotationName[];

/** A message's annotations: one flag each, true when the schema writes it. */
export type MessageFlags = Record<AnnotationName, boolean>;

/** No annotation set. */
export function noFlags(): MessageFlags {
  return Object.fromEntries(ANNOTATION_NAMES.map((n) => [n, false])) as MessageFlags;
}

/** The annotations set on a message, in list order. */
export function setFlags(flags: MessageFlags): AnnotationName[] {
  return ANNOTATION_NAMES.filter((n) => flags[n]);
}

/**
 * `@fslib(path|fid|none)` on a request: not a flag the runtime reads (it is no part of the wire
 * contract or the fingerprint) but how the generator maps the message onto an FsLib method
 * (runtime/contract/fs-methods.ts): `path` resolves a path argument to the request's `fid` field,
 * `fid` takes the fid itself, `none` sends the message to named.
 */
export const FSLIB_ANNOTATION = "fslib";

/** The arguments `@fslib(...)` takes. */
export const FSLIB_MAPPINGS = ["path", "fid", "none"] as const;

export type FslibMapping = (typeof FSLIB_MAPPINGS)[number];
