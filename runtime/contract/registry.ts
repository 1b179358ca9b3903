/**
 * createRegistry: a protocol's descriptors compiled once into what the runtime reads on every
 * message. Descriptors are sparse (only the flags a message sets) and of as many shapes as there
 * are messages; MessageInfo records are complete and of one shape, and the lookup by type is an
 * array index, so a lookup costs no more than the switch it replaces. Pure: it registers
 * nothing anywhere (see `describeErrors`).
 */
import { registerErrorCodes } from "../errors/index.js";
import {
  isRequestDesc,
  MESSAGE_FLAGS,
  type MessageDesc,
  type ProtocolDesc,
} from "./descriptors.js";
import type { MessageFlags, MessageInfo } from "./registry-types.js";
import { badFcall, runtimeCodes, type RuntimeCodes } from "./runtime-errors.js";

/** Message types are a u8 (Tfcall). */
const TYPES = 256;

export class Registry {
  readonly protocol: ProtocolDesc;
  /** The error-table entries the runtime raises by name. */
  readonly codes: RuntimeCodes;
  /** Every message, by type number. */
  readonly messages: readonly MessageInfo[];
  readonly byType: ReadonlyMap<number, MessageInfo>;
  /** The `@error` reply, which carries every failure back to a client: `[code, obj, text]`. */
  readonly errorReply: MessageInfo;
  readonly #table: (MessageInfo | undefined)[] = new Array<MessageInfo | undefined>(TYPES).fill(
    undefined,
  );
  #described = false;

  constructor(protocol: ProtocolDesc) {
    this.protocol = protocol;
    this.codes = runtimeCodes(protocol.errors);
    const descs = withReplies(protocol.messages);
    const answers = new Map<number, number[]>();
    for (const d of descs) {
      if (!isRequestDesc(d)) continue;
      const list = answers.get(d.reply.type) ?? [];
      list.push(d.type);
      answers.set(d.reply.type, list);
    }
    const messages = descs
      .map((d) => compile(d, answers.get(d.type) ?? []))
      .sort((a, b) => a.type - b.type);
    for (const m of messages) {
      if ((m.type & 0xff) !== m.type)
        throw new Error(`${protocol.name}: ${m.name}: type ${m.type}`);
      const seen = this.#table[m.type];
      if (seen !== undefined) {
        throw new Error(`${protocol.name}: ${m.name} and ${seen.name} share type ${m.type}`);
      }
      this.#table[m.type] = m;
    }
    const errorReply = messages.find((m) => m.error && m.kind === "reply");
    if (errorReply === undefined) throw new Error(`${protocol.name}: no @error reply`);
    this.messages = messages;
    this.byType = new Map(messages.map((m) => [m.type, m]));
    this.errorReply = errorReply;
  }

  /** The message of this type, if the protocol has one. */
  info(type: number): MessageInfo | undefined {
    return (type & 0xff) === type ? this.#table[type] : undefined;
  }

  /** Decodes a body by its type; an unknown type or a malformed body throws BadFcall. */
  decode(type: number, body: unknown, data?: Uint8Array): unknown {
    return this.#known(type).desc.decode(body, data);
  }

  /** Encodes a body by its type; an unknown type throws BadFcall. */
  encode(type: number, msg: unknown): unknown[] {
    return this.#known(type).desc.encode(msg);
  }

  /**
   * Registers the protocol's error table with runtime/errors, so that a SigmaError built with
   * only a code describes it (`not found: name/a`). Clients and dispatchers call it when handed
   * the protocol; importing generated code does not.
   */
  describeErrors(): void {
    if (this.#described) return;
    this.#described = true;
    registerErrorCodes(this.protocol.errors);
  }

  #known(type: number): MessageInfo {
    const m = this.info(type);
    if (m === undefined) {
      throw badFcall(this.protocol.errors, String(type), `unknown message type ${type}`);
    }
    return m;
  }
}

/** Compiles a protocol's descriptors; see Registry. */
export function createRegistry(protocol: ProtocolDesc): Registry {
  return new Registry(protocol);
}

// One class, every field assigned in the same order: one hidden class for all messages.
class Message {
  readonly type: number;
  readonly name: string;
  readonly kind: "request" | "reply";
  readonly reply: number | null;
  readonly answers: readonly number[];
  readonly method: string | null;
  readonly desc: MessageDesc;

  constructor(d: MessageDesc, answers: number[]) {
    const request = isRequestDesc(d);
    this.type = d.type;
    this.name = d.name;
    this.kind = request ? "request" : "reply";
    this.reply = request ? d.reply.type : null;
    this.answers = answers.sort((a, b) => a - b);
    this.method = request ? (d.method ?? null) : null;
    this.desc = d;
    const flags = this as unknown as Record<string, boolean>;
    for (const f of MESSAGE_FLAGS) flags[f] = d[f] === true;
  }
}

function compile(d: MessageDesc, answers: number[]): MessageInfo {
  // The constructor sets every flag of MESSAGE_FLAGS, which MessageFlags is made of.
  return new Message(d, answers) as Message & MessageFlags;
}

// A reply is described once, by the requests that name it, even if the list leaves it out.
function withReplies(descs: readonly MessageDesc[]): MessageDesc[] {
  const all = new Set(descs);
  for (const d of descs) if (isRequestDesc(d)) all.add(d.reply);
  return [...all];
}
