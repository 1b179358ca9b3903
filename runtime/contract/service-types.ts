/**
 * Descriptors of RPC services (schema `service` blocks), as generated services.ts files emit
 * them: enough for an RPC layer to encode a call and decode its reply without knowing the types.
 * Also the two seams generated service code is written against: the client's transport and the
 * server's bound service (service-call.ts drives both from the descriptors).
 */
import type { ErrorCodeInfo } from "../errors/index.js";

export interface RpcMethodInfo<Req = unknown, Rep = unknown> {
  /** The method name as declared, e.g. `Echo`. */
  readonly name: string;
  /** `Service.Method`, the name an RPC call carries. */
  readonly fullName: string;
  /** The client method and handler name, e.g. `echo`. */
  readonly method: string;
  /** The request and reply record names. */
  readonly request: string;
  readonly reply: string;
  // Method syntax on purpose: it lets a concrete descriptor stand in for RpcMethodInfo<unknown>.
  encodeRequest(req: Req): unknown[];
  /** Throws SigmaError(BadFcall) on malformed input. */
  decodeRequest(body: unknown): Req;
  encodeReply(rep: Rep): unknown[];
  /** Throws SigmaError(BadFcall) on malformed input. */
  decodeReply(body: unknown): Rep;
}

export interface RpcServiceInfo {
  readonly name: string;
  /** The error table the runtime takes BadFcall and NotSupported from. */
  readonly errors: readonly ErrorCodeInfo[];
  readonly methods: Readonly<Record<string, RpcMethodInfo>>;
}

/** What a generated service client's calls accept as their last argument. */
export interface RpcCallOptions {
  /** Fires: the call fails with Aborted (the signal's reason as cause). Giving up is local. */
  signal?: AbortSignal;
  /** Passes: the call fails with Timeout. No default. */
  timeoutMs?: number;
}

/**
 * What a generated service client (`EchoClient`) needs: carry one call to a server and bring back
 * the reply record, still undecoded. A failure the server reports rejects the call; runtime/rpc's
 * RpcClient is the implementation over files.
 */
export interface RpcTransport {
  call(method: string, args: unknown[], opts?: RpcCallOptions): Promise<unknown>;
}

/** A service bound to its handlers (generated `echoService(handlers)`), ready to serve. */
export interface RpcService<Ctx> {
  readonly info: RpcServiceInfo;
  /**
   * Runs one call; `method` is `Service.Method` or the bare method name. Resolves with the reply
   * record encoded; rejects with NotSupported for an unknown method, BadFcall for a malformed
   * request, and with whatever the handler throws.
   */
  dispatch(method: string, args: unknown, ctx: Ctx): Promise<unknown[]>;
}
