import { readdirSync, readFileSync } from 'node:fs'
import { Worker } from 'node:worker_threads'
import { lowerHelperThreads } from '../../src/lib/thread-priority'

/** A thread's nice value: field 19 of /proc/self/task/<tid>/stat (after the command's parentheses). */
const niceOf = (tid: string) => {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])
}

const linux = process.platform === 'linux' ? test : test.skip

linux('every thread but the event loop’s runs at a lower priority, threads started later too', async () => {
  const before = niceOf(String(process.pid))
  const threads = lowerHelperThreads()
  try {
    const lowered = () =>
      readdirSync('/proc/self/task').every((tid) => tid === String(process.pid) || niceOf(tid) >= 10)
    expect(lowered()).toBe(true)
    // A thread started after the first scan is lowered by the next (every two seconds).
    const worker = new Worker('setInterval(() => {}, 1000)', { eval: true })
    await new Promise<void>((resolve) => worker.once('online', () => resolve()))
    expect(lowered()).toBe(false)
    threads.scan()
    expect(lowered()).toBe(true)
    expect(readdirSync('/proc/self/task').length).toBeGreaterThan(2)
    // The event loop's own thread keeps its priority.
    expect(niceOf(String(process.pid))).toBe(before)
    await worker.terminate()
  } finally {
    threads.stop()
  }
})
