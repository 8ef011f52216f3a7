import { setImmediate as nextTurn } from 'node:timers/promises'

/** How long a walk over the history may keep the event loop before it lets other requests in. */
export const SLICE_MS = 10

/**
 * Lets a long walk (an export, a verification of the whole log, a policy's impact, a batch's
 * decisions) share the event loop. better-sqlite3 answers synchronously, so on SQLite such a walk never waits for I/O: its
 * promises resolve as microtasks and, with a reader that keeps up, it held the loop until it was
 * done. A 100 000-row export kept every other request (`/healthz` too) waiting 25 s
 * (BENCHMARKS.md). Call `pause()` once per item: after `budgetMs` of work since the last turn it
 * waits one turn of the event loop (setImmediate: after pending I/O, before the next poll's
 * timers), otherwise it returns at once.
 *
 * Hand-written: no maintained package does this one comparison; `scheduler.yield()` is not in
 * Node 20.
 */
export function timeSlice(budgetMs = SLICE_MS, now: () => number = () => performance.now()) {
  let since = now()
  return {
    async pause(): Promise<void> {
      if (now() - since < budgetMs) return
      await nextTurn()
      since = now()
    },
  }
}
