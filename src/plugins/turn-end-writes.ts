import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/**
 * Answers that become ready while a turn of the event loop handles its I/O are written together
 * when that I/O is done (the turn's setImmediate phase), instead of one at a time as each is
 * ready. A write to a client that is waiting in its own poll wakes it: on loopback (a proxy or
 * a sidecar on the same host, the benchmark) the kernel runs the client's side of TCP and the
 * wake-up inside the server's `writev`, and on a virtual machine waking a sleeping CPU costs
 * more than a small answer's own work (BENCHMARKS.md, the ninth session: a third of an
 * evaluate's CPU). Written back to back, the answers of a turn wake a client once.
 *
 * An answer waits at most for the rest of its own turn's I/O callbacks: the first request of a
 * turn schedules the turn's flush, and only while that flush is pending are answers held. An
 * answer that becomes ready after it ran (a group commit's, which SQLite writes in the same
 * phase; any answer of a turn that read no request) goes at once, as before. So nothing is held
 * longer than one turn, and a write's answers are never put behind the next turn's requests.
 */
async function turnEndWrites(app: FastifyInstance) {
  const held: { done: HookDone; payload: unknown }[] = []
  let flushPending = false
  const flush = () => {
    flushPending = false
    // Indexed, not spliced: nothing is held while no flush is pending, so the list cannot grow
    // while it is written out.
    for (let i = 0; i < held.length; i++) {
      const { done, payload } = held[i] as (typeof held)[number]
      // What Fastify does for an onSend hook that resolves: a throw while the answer is written
      // (an invalid header, say) goes to the error handler, not out of this callback.
      try {
        done(null, payload)
      } catch (error) {
        done(error as Error)
      }
    }
    held.length = 0
  }
  // Requests are read while the turn handles I/O; the flush is queued before anything a request
  // queues for later (a group commit's turn), so held answers go before a commit runs.
  app.addHook('onRequest', (_request, _reply, done) => {
    if (!flushPending) {
      flushPending = true
      setImmediate(flush)
    }
    done()
  })
  app.addHook('onSend', (_request, _reply, payload, done) => {
    if (!flushPending) {
      done(null, payload)
      return
    }
    held.push({ done, payload })
  })
}

type HookDone = (error?: Error | null, payload?: unknown) => void

export default fp(turnEndWrites, { name: 'turn-end-writes' })
