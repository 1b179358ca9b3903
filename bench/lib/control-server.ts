/**
 * The child side of a control channel: a benchmark child that must answer questions only it can
 * (its own memory use, the address of a server it started) listens on a second socket. One
 * command per line, one answer per line: `ok <text>` or `err <message>`. Kept apart from
 * control-client.ts so that children import no runner code.
 */
import { createServer, type Socket } from "node:net";

/** Command word -> its answer (a single line). */
export type ControlCommands = Readonly<Record<string, () => string | Promise<string>>>;

/** Listens on an ephemeral loopback port and resolves with it. */
export function serveControl(commands: ControlCommands): Promise<number> {
  const server = createServer((socket) => serve(socket, commands));
  // The channel must not keep a child alive that is otherwise done.
  server.unref();
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (address === null || typeof address === "string") reject(new Error("no control port"));
      else resolve(address.port);
    });
  });
}

function serve(socket: Socket, commands: ControlCommands): void {
  let pending = "";
  // Answers go out in command order even when a command is slow.
  let chain: Promise<void> = Promise.resolve();
  socket.setEncoding("utf8");
  socket.on("data", (text: string) => {
    const lines = (pending + text).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      chain = chain.then(async () => {
        const answer = await answerTo(line.trim(), commands);
        if (!socket.destroyed) socket.write(`${answer}\n`);
      });
    }
  });
  socket.on("error", () => socket.destroy());
}

async function answerTo(command: string, commands: ControlCommands): Promise<string> {
  const handler = commands[command];
  if (handler === undefined) return `err unknown command ${JSON.stringify(command)}`;
  try {
    return `ok ${oneLine(await handler())}`;
  } catch (e) {
    return `err ${oneLine(e instanceof Error ? e.message : String(e))}`;
  }
}

function oneLine(text: string): string {
  return text.replace(/\n/g, " ");
}
