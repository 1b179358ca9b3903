export { startMemfsd, type Memfsd, type MemfsdOptions } from "./memfsd.js";
