import type { Model, ServiceDecl } from "../model.js";
import { stringLiteral } from "./literals.js";
import { propertyKey, rpcMethodName } from "./names.js";
import type { Scope } from "./scope.js";

/** One rpc of a service with the names its client method, handler and dispatcher share. */
export interface RpcShape {
  /** `echo`: the client method and the handler. */
  method: string;
  /** `Echo`: its key in the descriptor's methods. */
  key: string;
  /** `"Echo"` as a literal: what the dispatcher matches. */
  nameLiteral: string;
  /** `"Echo.Echo"` as a literal: what the client sends. */
  fullName: string;
  doc: string;
  request: string;
  reply: string;
}

export interface ServiceShape {
  name: string;
  /** The service's doc comment, line by line (empty when it has none). */
  docLines: string[];
  /** The descriptor in services.ts. */
  descriptor: string;
  clientName: string;
  handlersName: string;
  /** `echoService(handlers)`: the service bound to its handlers. */
  bindName: string;
  rpcs: RpcShape[];
}

/** The services of a schema file, in schema order, with the names client and server share. */
export function serviceShapes(model: Model, scope: Scope): ServiceShape[] {
  return scope.own(model.services).map(shapeOf);
}

/** The descriptor's name: `Echo` -> `EchoService`, and `EchoService` stays itself. */
export function descriptorName(service: string): string {
  return service.endsWith("Service") ? service : `${service}Service`;
}

function shapeOf(s: ServiceDecl): ServiceShape {
  const descriptor = descriptorName(s.name);
  return {
    name: s.name,
    docLines: s.doc === "" ? [] : s.doc.replace(/\*\//g, "*\\/").split("\n"),
    descriptor,
    clientName: `${s.name}Client`,
    handlersName: `${s.name}Handlers`,
    bindName: rpcMethodName(descriptor),
    rpcs: s.methods.map((r) => ({
      method: rpcMethodName(r.name),
      key: propertyKey(r.name),
      nameLiteral: stringLiteral(r.name),
      fullName: stringLiteral(`${s.name}.${r.name}`),
      doc: r.doc,
      request: r.request,
      reply: r.reply,
    })),
  };
}
