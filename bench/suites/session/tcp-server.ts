/**
 * Child process: the raw-TCP ping-pong server. Answers every length-prefixed request frame with
 * one reply frame of the size given in argv[2] (an Rclunk frame's size), nothing else: the least
 * work a server can do per message, done correctly.
 */
import { createServer, type Socket } from "node:net";
import { exitWithRunner } from "../../lib/child-exit.js";
import { announceReady } from "../../lib/ready.js";
import { fillerFrame, FrameReader, repeatFrame } from "./frame-reader.js";
import { TcpMode } from "./tcp-mode.js";

const replyBytes = Number(process.argv[2]);
if (!Number.isInteger(replyBytes) || replyBytes <= 4) {
  throw new Error(`tcp-server: reply frame size expected, got ${process.argv[2]}`);
}
const reply = fillerFrame(replyBytes);
// Replies to up to this many frames of one read go out from a prebuilt buffer.
const PREBUILT = 256;
const replies = repeatFrame(reply, PREBUILT);

exitWithRunner();
const server = createServer({ noDelay: true }, serve);
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  announceReady(address.port);
});

function serve(socket: Socket): void {
  let reader: FrameReader | null = null;
  let batched = false;
  socket.on("data", (chunk: Buffer) => {
    if (reader === null) {
      batched = chunk[0] === TcpMode.batched;
      reader = new FrameReader(batched ? noop : () => socket.write(reply));
      chunk = chunk.subarray(1);
    }
    const frames = reader.push(chunk);
    if (batched && frames > 0) socket.write(repliesFor(frames));
  });
  // A client that goes away mid-write is normal at the end of a run.
  socket.on("error", () => socket.destroy());
}

function repliesFor(frames: number): Buffer {
  return frames <= PREBUILT
    ? replies.subarray(0, frames * reply.length)
    : repeatFrame(reply, frames);
}

function noop(): void {}
