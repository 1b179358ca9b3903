import type { CompatRule } from "./compat-rule.js";
import {
  aliasConstRules,
  enumRules,
  errorRules,
  flagsRules,
  protocolRules,
  serviceRules,
  structRules,
} from "./compat-rules-decls.js";
import { fieldRules, messageRules } from "./compat-rules-messages.js";

/** Every rule, in report order. Ids are stable: CI scripts and docs refer to them. */
export const COMPAT_RULES: readonly CompatRule[] = [
  ...protocolRules,
  ...messageRules,
  ...fieldRules,
  ...errorRules,
  ...flagsRules,
  ...enumRules,
  ...structRules,
  ...aliasConstRules,
  ...serviceRules,
];
