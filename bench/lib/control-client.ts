/**
 * The runner side of a child's control channel (see control-server.ts): sends one command per
 * line and resolves each `ask` with its answer, in order.
 */
import { once } from "node:events";
import { connect, type Socket } from "node:net";

export class ControlClient {
  private pending = "";
  private readonly waiting: { resolve: (text: string) => void; reject: (e: Error) => void }[] = [];
  private failure: Error | null = null;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding("utf8");
    socket.on("data", (text: string) => this.onData(text));
    socket.on("error", (e) => this.fail(e));
    socket.on("close", () => this.fail(new Error("control channel closed")));
  }

  static async connect(port: number): Promise<ControlClient> {
    const socket = connect({ port, host: "127.0.0.1" });
    await once(socket, "connect");
    return new ControlClient(socket);
  }

  /** Sends `command`; resolves with the text after `ok`, rejects with the text after `err`. */
  ask(command: string): Promise<string> {
    if (this.failure) return Promise.reject(this.failure);
    this.socket.write(`${command}\n`);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(text: string): void {
    const lines = (this.pending + text).split("\n");
    this.pending = lines.pop() ?? "";
    for (const line of lines) {
      const w = this.waiting.shift();
      if (w === undefined) return this.fail(new Error(`unasked control answer: ${line}`));
      if (line.startsWith("ok ")) w.resolve(line.slice(3));
      else w.reject(new Error(`control: ${line.replace(/^err /, "")}`));
    }
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const w of this.waiting.splice(0)) w.reject(e);
  }
}
