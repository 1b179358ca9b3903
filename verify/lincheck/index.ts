/** The linearizability checker: a library over histories; it imports nothing of runtime/. */
export { checkHistory, groupByPath, type CheckResult, type Violation } from "./check.js";
export {
  HistoryError,
  OP_KINDS,
  parseHistory,
  toHistory,
  type History,
  type Op,
  type OpKind,
} from "./history.js";
export { htmlReport } from "./html.js";
export { successors, Unknown, type State } from "./model.js";
export { describeOp, jsonReport, textReport } from "./report.js";
export { searchPath, type SearchOptions, type SearchResult } from "./search.js";
export { smallestWindow, type Window } from "./window.js";
