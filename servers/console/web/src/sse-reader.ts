/**
 * Server-Sent Events read from a fetch body. The page reads its event stream with fetch, not
 * EventSource, because EventSource cannot send the Authorization header and the token must not
 * ride in the URL (where logs and history keep it). Only what the console sends is parsed:
 * `event:` and `data:` lines, `:` comments, a blank line ending each event, `\n` line ends.
 */

/** Calls `on` for each event of `body` until it ends; rejects if reading fails (or is aborted). */
export async function readEvents(
  body: ReadableStream<Uint8Array>,
  on: (event: string, data: string) => void,
): Promise<void> {
  const reader = body.getReader();
  const utf8 = new TextDecoder();
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += utf8.decode(value, { stream: true });
    for (let end = buf.indexOf("\n\n"); end >= 0; end = buf.indexOf("\n\n")) {
      const block = buf.slice(0, end);
      buf = buf.slice(end + 2);
      const ev = parseBlock(block);
      if (ev !== null) on(ev.event, ev.data);
    }
  }
}

function parseBlock(block: string): { event: string; data: string } | null {
  let event = "message";
  const data: string[] = [];
  for (const line of block.split("\n")) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  return data.length === 0 ? null : { event, data: data.join("\n") };
}
