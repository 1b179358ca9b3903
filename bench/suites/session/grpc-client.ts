/**
 * The gRPC baseline's client: one channel (one HTTP/2 connection), unary calls of a fixed payload.
 */
import { Client, credentials } from "@grpc/grpc-js";
import { GRPC_OPTIONS, NULL_METHOD } from "./grpc-service.js";

export interface GrpcUnaryOptions {
  port: number;
  requestBytes: number;
  /** Checked on every reply: a short reply would mean the server is not doing the work. */
  replyBytes: number;
}

export class GrpcUnary {
  private constructor(
    private readonly client: Client,
    private readonly request: Buffer,
    private readonly replyBytes: number,
  ) {}

  static async connect(opts: GrpcUnaryOptions): Promise<GrpcUnary> {
    const client = new Client(`127.0.0.1:${opts.port}`, credentials.createInsecure(), GRPC_OPTIONS);
    await new Promise<void>((resolve, reject) =>
      client.waitForReady(Date.now() + 10_000, (e) => (e ? reject(e) : resolve())),
    );
    return new GrpcUnary(client, Buffer.alloc(opts.requestBytes, 0x5a), opts.replyBytes);
  }

  call(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.client.makeUnaryRequest(
        NULL_METHOD.path,
        NULL_METHOD.requestSerialize,
        NULL_METHOD.responseDeserialize,
        this.request,
        (err, reply) => {
          if (err) reject(err);
          else if (reply?.length !== this.replyBytes) reject(new Error("short gRPC reply"));
          else resolve();
        },
      );
    });
  }

  close(): void {
    this.client.close();
  }
}
