import { setFlagsFromString } from 'node:v8'

/**
 * V8 settings for the service's process, set before it serves (server.ts).
 *
 * Allocation-site pretenuring off. V8 watches where objects are allocated and, once nearly all
 * of a site's objects survive two young-generation collections, allocates that site's objects
 * straight in the old generation. A create's objects survive while they wait for their group
 * commit, so under writes the sites the engine, the answers and the request machinery share get
 * pretenured, and stay so: afterwards every evaluation and read put its short-lived objects in
 * the old generation, where the dead ones kept the young objects they point to alive through
 * each scavenge. Evaluations paced at 1 000/s after a run of creates spent 505-1 049 ms of 8 s
 * in scavenges (8-20 ms each) and the old generation grew 15 MB/s; with pretenuring off, 96-132
 * ms and no growth, and creates were as fast (BENCHMARKS.md, the thirteenth session).
 *
 * Set here rather than on the command line so that it holds however the server is started
 * (`npm start`, the container image, `node dist/server.js`). V8 reads this flag each time it
 * collects, so setting it at start-up takes effect (heap-tuning.test.ts checks it does); the
 * modules loaded before it leave a few sites undecided ("maybe tenure"), and with the flag off
 * V8 decides nothing more about them.
 */
export function tuneHeap(): void {
  setFlagsFromString('--no-allocation-site-pretenuring')
}
