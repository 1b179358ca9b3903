export { Echo } from "./echo-handlers.js";
