import { readdirSync } from 'node:fs'
import { setPriority } from 'node:os'

/**
 * Keeps the event loop's thread ahead of the process's helper threads on a busy core: every
 * thread of this process but the main one (V8's background workers that mark and sweep the
 * heap concurrently and compile, libuv's pool, the SQLite checkpoint worker) gets a lower
 * scheduling priority (nice `NICENESS`). On one core, four V8 workers ran 4 ms slices back to
 * back while the event loop waited, runnable, for 10-14 ms at a time (`perf sched`, BENCHMARKS.md
 * the seventeenth session); with their priority lowered the kernel runs them when the loop does
 * not need the core. Lowering one's own threads' priority needs no privilege. Linux only: there
 * `setpriority` on a thread id applies to that thread alone; elsewhere this does nothing.
 */
const NICENESS = 10
const TASKS = '/proc/self/task'

export function lowerHelperThreads(everyMs = 2000): { scan(): void; stop(): void } {
  if (process.platform !== 'linux') return { scan: () => {}, stop: () => {} }
  const done = new Set<number>([process.pid])
  const scan = () => {
    let tids: string[]
    try {
      tids = readdirSync(TASKS)
    } catch {
      return
    }
    for (const name of tids) {
      const tid = Number(name)
      if (done.has(tid)) continue
      done.add(tid)
      try {
        setPriority(tid, NICENESS)
      } catch {
        // The thread has ended meanwhile, or the system refuses: it keeps its priority.
      }
    }
  }
  scan()
  // Threads start later too (the checkpoint worker, libuv's pool on first use).
  const timer = setInterval(scan, everyMs)
  timer.unref()
  return { scan, stop: () => clearInterval(timer) }
}
