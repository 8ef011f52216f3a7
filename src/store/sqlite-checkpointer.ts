import { Worker } from 'node:worker_threads'

/**
 * SQLite's WAL checkpoints on a thread of their own. By default the connection that commits
 * copies the log back into the database file (and syncs it) whenever the log passes 1 000 pages:
 * with 15 KB assessments that is every 270 or so, and better-sqlite3 runs it inside the commit,
 * on the event loop: 8 ms during which no request was answered (BENCHMARKS.md: the p99 of
 * creates). The assessment writer turns that off for its connection and asks for a PASSIVE
 * checkpoint here instead, which copies what no reader still needs without blocking writers or
 * readers. Durability does not depend on it: a commit is durable once the log is synced.
 *
 * The worker is started on the first request (a store that writes little never pays for it).
 * If it fails, `onFailure` is told, and the writer goes back to checkpointing as it commits.
 */
export interface CheckpointResult {
  /** Frames in the log, and how many of them are now in the database file. */
  log: number
  checkpointed: number
}

export interface Checkpointer {
  /** A checkpoint soon: one at a time, and one more after it if asked for meanwhile. */
  request(): void
  /** Resolves with the result of a checkpoint that starts after this call (tests, shutdown). */
  checkpoint(): Promise<CheckpointResult>
  /** The log's length in frames at the last checkpoint (0 before the first). */
  logFrames(): number
  close(): Promise<void>
}

// Runs in the worker: one connection, a checkpoint per message. The driver's path is passed in
// so that the worker resolves the same module as the service whatever its working directory.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.file, { timeout: workerData.busyTimeoutMs })
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close()
    process.exit(0)
  }
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)')
    parentPort.postMessage({ log: row.log, checkpointed: row.checkpointed })
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) })
  }
})
`

export function sqliteCheckpointer(
  file: string,
  options: { busyTimeoutMs: number; onFailure: (error: Error) => void },
): Checkpointer {
  let worker: Worker | undefined
  let failed = false
  let closing = false
  let running = false
  /** The log's length in frames at the last checkpoint. */
  let lastLog = 0
  let wanted = false
  let waiting: Array<{ resolve: (r: CheckpointResult) => void; reject: (e: Error) => void }> = []
  let inFlight: typeof waiting = []

  const fail = (error: Error) => {
    if (failed) return
    failed = true
    for (const w of [...inFlight, ...waiting]) w.reject(error)
    inFlight = []
    waiting = []
    void worker?.terminate()
    options.onFailure(error)
  }

  const start = (): Worker => {
    const started = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver: require.resolve('better-sqlite3'), file, busyTimeoutMs: options.busyTimeoutMs },
    })
    // The worker must not keep the process alive on its own: the store's close() ends it.
    started.unref()
    started.on('message', (message: CheckpointResult | { error: string }) => {
      running = false
      const done = inFlight
      inFlight = []
      if ('error' in message) {
        // A busy database (a long write elsewhere) is not a failure: the next request tries again.
        for (const w of done) w.reject(new Error(message.error))
      } else {
        lastLog = message.log
        for (const w of done) w.resolve(message)
      }
      if (wanted || waiting.length > 0) run()
    })
    started.on('error', fail)
    started.on('exit', (code) => {
      if (!closing) fail(new Error(`the checkpoint worker exited with code ${code}`))
    })
    return started
  }

  const run = () => {
    if (failed || closing || running) return
    worker ??= start()
    running = true
    wanted = false
    inFlight = waiting
    waiting = []
    worker.postMessage('checkpoint')
  }

  return {
    request() {
      wanted = true
      run()
    },
    checkpoint() {
      if (failed) return Promise.reject(new Error('the checkpoint worker has failed'))
      const result = new Promise<CheckpointResult>((resolve, reject) => waiting.push({ resolve, reject }))
      run()
      return result
    },
    logFrames: () => lastLog,
    async close() {
      closing = true
      const stopping = new Error('the store is closing')
      for (const w of [...inFlight, ...waiting]) w.reject(stopping)
      inFlight = []
      waiting = []
      if (!worker || failed) return
      // After a checkpoint in progress, the worker closes its connection and ends. Held (ref)
      // until then: an unreferenced worker is no reason for Node to wait, so a process with
      // nothing else pending (a script that closes a store and goes on, as `npm run growth`
      // did between its two stores) exited here, silently and with status 0, mid-await.
      worker.ref()
      const exited = new Promise((resolve) => worker?.once('exit', resolve))
      worker.postMessage('close')
      await exited
    },
  }
}
