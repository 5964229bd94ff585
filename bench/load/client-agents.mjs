// Many clients on one machine. The generated app limits each client address
// (per-IP token bucket, 100 requests/s by default), as a deployment should;
// one load generator on 127.0.0.1 would be one client and mostly get 429s.
// Linux routes all of 127.0.0.0/8 to loopback, so each simulated client
// binds its own source address (127.0.1.1, 127.0.1.2, ...) and gets its own
// bucket, as real users behind their own addresses would.
import { Agent } from 'node:http';

/** `count` keep-alive agents, each bound to its own loopback address, at most `socketsEach` sockets each. */
export function clientAgents(count, socketsEach) {
  return Array.from({ length: count }, (_, k) => new Agent({ keepAlive: true, maxSockets: socketsEach, localAddress: `127.0.${1 + Math.floor(k / 250)}.${1 + (k % 250)}` }));
}
