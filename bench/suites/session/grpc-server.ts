/**
 * Child process: the gRPC unary baseline's server. Answers every call with a reply of the size
 * given in argv[2] (the MessagePack payload of an Rclunk frame).
 */
import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall } from "@grpc/grpc-js";
import { exitWithRunner } from "../../lib/child-exit.js";
import { announceReady } from "../../lib/ready.js";
import { GRPC_OPTIONS, NULL_SERVICE } from "./grpc-service.js";

const replyBytes = Number(process.argv[2]);
if (!Number.isInteger(replyBytes) || replyBytes <= 0) {
  throw new Error(`grpc-server: reply size expected, got ${process.argv[2]}`);
}
const reply = Buffer.alloc(replyBytes, 0x5a);

exitWithRunner();
const server = new Server(GRPC_OPTIONS);
server.addService(NULL_SERVICE, {
  call: (_call: ServerUnaryCall<Buffer, Buffer>, done: sendUnaryData<Buffer>) => done(null, reply),
});
server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (err, port) => {
  if (err) throw err;
  announceReady(port);
});
