/** FsLib moved to runtime/client/fslib/ (one folder per layer); this keeps older imports working. */
export * from "./fslib/fslib.js";
