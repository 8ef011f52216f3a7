import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector'
import path from 'node:path'

/**
 * Samples what a running service allocates, garbage included: a preload for profiling by hand
 * (BENCHMARKS.md, "Method"). A CPU profile shows where time goes; this shows what fills the
 * young generation, which sets how often it is collected and how much a request that waits
 * (for its commit, for its turn) gets promoted. V8's sampling heap profiler keeps only what is
 * still alive unless told to keep what the collectors freed, which is what this asks for.
 *
 *   node --require tsx/cjs --require ./scripts/bench/allocation-sampler.ts dist/server.js
 *   kill -USR2 <pid>   # start sampling, under load
 *   kill -USR2 <pid>   # stop: writes $TMPDIR/placement-<pid>.heapprofile
 *   tsx scripts/bench/profile-summary.ts /tmp/placement-<pid>.heapprofile <requests meanwhile>
 *
 * Not part of the service: nothing under src/ loads it.
 */
const session = new Session()
session.connect()
let sampling = false
process.on('SIGUSR2', () => {
  if (!sampling) {
    sampling = true
    session.post('HeapProfiler.startSampling', {
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    })
    return
  }
  sampling = false
  session.post('HeapProfiler.stopSampling', (error, result) => {
    if (error) throw error
    const file = path.join(process.env.TMPDIR ?? '/tmp', `placement-${process.pid}.heapprofile`)
    writeFileSync(file, JSON.stringify(result.profile))
  })
})
