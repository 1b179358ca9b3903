export { SigmaError } from "./sigma-error.js";
export {
  describeErrorCode,
  errorCodeInfo,
  registerErrorCodes,
  type ErrorCodeInfo,
  type RetryClassName,
} from "./error-table.js";
export { isErr, isSigmaError } from "./guards.js";
export { errorText } from "./error-text.js";
