/** The warm pool of the benchmark's procd (servers.ts): warm ops wait until it is full. */
export const POOL = 2;
