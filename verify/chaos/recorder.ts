/** Records ops into the history format of verify/lincheck, on one monotonic clock (µs). */
import type { OpKind } from "../lincheck/index.js";

export interface RecordedOp {
  client: number;
  call: number;
  return: number | null;
  path: string;
  op: OpKind;
  value?: string;
  output?: string | null;
}

export class Recorder {
  readonly ops: RecordedOp[] = [];

  now(): number {
    return Math.floor(performance.now() * 1000);
  }

  /** Starts an op; the caller completes the returned record (or leaves it unknown). */
  begin(client: number, path: string, op: OpKind, value?: string): RecordedOp {
    const rec: RecordedOp = { client, call: this.now(), return: null, path, op };
    if (value !== undefined) rec.value = value;
    this.ops.push(rec);
    return rec;
  }

  end(rec: RecordedOp, output: string | null): void {
    rec.return = this.now();
    rec.output = output;
  }

  history(): { model: "files"; ops: RecordedOp[] } {
    return { model: "files", ops: this.ops };
  }
}
