/**
 * Descriptors of RPC services (schema `service` blocks), as generated services.ts files emit
 * them: enough for an RPC layer to encode a call and decode its reply without knowing the types.
 */

export interface RpcMethodInfo<Req = unknown, Rep = unknown> {
  /** The method name as declared, e.g. `Echo`. */
  readonly name: string;
  /** `Service.Method`, the name an RPC call carries. */
  readonly fullName: string;
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
  readonly methods: Readonly<Record<string, RpcMethodInfo>>;
}
