import { readFileSync } from 'node:fs'
import http from 'node:http'
import { performance } from 'node:perf_hooks'
import { setImmediate as turn } from 'node:timers/promises'
import autocannon from 'autocannon'

/**
 * The load generator, in a process of its own (pinned to its own core by `npm run bench`):
 * reads one job from the JSON file named on its command line, runs it, prints one result per
 * target as one JSON line (an array). As fast as possible: autocannon (closed loop,
 * `connections` requests in flight). At a given rate: paced here, one request every 1/rate
 * seconds whatever the answers do (open loop), each latency counted from when its request was
 * due. autocannon's own rate limit sends each second's budget in a burst at the start of the
 * second, so its percentiles measure the burst's queue, not the service; and a closed loop that
 * waits for slow answers would send fewer requests exactly when the service is slow
 * (coordinated omission).
 *
 * Several targets (the service and its limits) are measured in turns: each gets its warm-up,
 * then `slices` short runs each, in alternating order (A B C, C B A, ...). The machines this
 * runs on change speed by 10-50 % within a minute (other tenants); measured one after the other,
 * a service and its limit could see different machines, and a ratio then measured the machine.
 */
interface Target {
  url: string
  method: 'GET' | 'POST'
  body?: string
  headers?: Record<string, string>
  /** The server's process, when the CPU it spends per answer is to be reported. */
  pid?: number
}

interface Job {
  targets: Target[]
  connections: number
  /** Seconds measured per target, in all (split into `slices`). */
  durationSeconds: number
  /** Requests per second for the whole run (all connections), paced; unset: as fast as possible. */
  overallRate?: number
  /** Seconds of the same load first for each target, not measured (its code warms up). */
  warmupSeconds?: number
  /** Turns per target when there are several (default 4). */
  slices?: number
}

/** One target's outcome (what `npm run bench` reads). */
export interface LoadResult {
  rps: number
  p50: number
  p99: number
  ok: number
  other: number
  errors: number
  /**
   * CPU time of the server's process (every thread, user and system) per answer during the
   * measured slices; absent without a pid. The kernel's interrupt work for the connections is
   * not charged to a process and is not in it.
   */
  cpuUs?: number
  /**
   * Paced: the latest the generator sent a request after it was due, in ms. A latency is counted
   * from when its request was due, so a generator that stalls (its own garbage collection, the
   * kernel) adds its stall to the service's latencies; this says whether it did.
   */
  lateMs?: number
}

/** One slice of one target: its figures, and every latency when paced (merged exactly). */
interface Slice extends LoadResult {
  seconds: number
  latencies?: number[]
  /** CPU seconds the target's server spent during the slice. */
  cpuSeconds?: number
}

/** USER_HZ: Linux reports a process's CPU time in /proc in hundredths of a second. */
const TICKS_PER_SECOND = 100

/** CPU seconds a process has used so far, all threads (utime + stime of /proc/<pid>/stat). */
function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
}

async function flatOut(target: Target, connections: number, duration: number): Promise<Slice> {
  const result = await autocannon({
    url: target.url,
    method: target.method,
    body: target.body,
    headers: target.headers,
    connections,
    duration,
  })
  const ok = result['2xx']
  const seconds = result.duration || duration
  return {
    rps: ok / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    other: result.non2xx,
    errors: result.errors + result.timeouts,
    seconds,
  }
}

async function paced(target: Target, connections: number, rate: number, duration: number): Promise<Slice> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections })
  const url = new URL(target.url)
  const latencies: number[] = []
  let ok = 0
  let other = 0
  let errors = 0
  const send = (due: number) =>
    new Promise<void>((resolve) => {
      const request = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method: target.method,
          headers: target.headers,
        },
        (response) => {
          response.resume()
          response.on('end', () => {
            latencies.push(performance.now() - due)
            if (response.statusCode !== undefined && response.statusCode < 300) ok++
            else other++
            resolve()
          })
        },
      )
      request.on('error', () => {
        errors++
        resolve()
      })
      request.end(target.body)
    })
  const interval = 1000 / rate
  const start = performance.now()
  const count = Math.floor(rate * duration)
  const pending: Promise<void>[] = []
  let lateMs = 0
  for (let i = 0; i < count; i++) {
    const due = start + i * interval
    while (performance.now() < due) await turn()
    lateMs = Math.max(lateMs, performance.now() - due)
    pending.push(send(due))
  }
  await Promise.all(pending)
  const seconds = (performance.now() - start) / 1000
  agent.destroy()
  return { ...percentiles(latencies), rps: ok / seconds, ok, other, errors, seconds, latencies, lateMs }
}

function percentiles(latencies: number[]): { p50: number; p99: number } {
  const sorted = [...latencies].sort((a, b) => a - b)
  const at = (q: number) =>
    Math.round((sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0) * 10) / 10
  return { p50: at(0.5), p99: at(0.99) }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/**
 * A target's slices as one result. Paced: every latency of every slice, so its percentiles are
 * exact. As fast as possible: the median slice's rate and percentiles (autocannon reports
 * percentiles, not latencies; the median also leaves out a slice the machine stalled).
 */
function combine(slices: Slice[]): LoadResult {
  const sum = (pick: (s: Slice) => number) => slices.reduce((total, s) => total + pick(s), 0)
  const counts = { ok: sum((s) => s.ok), other: sum((s) => s.other), errors: sum((s) => s.errors) }
  const answers = counts.ok + counts.other
  const cpu = slices.every((s) => s.cpuSeconds !== undefined) && answers > 0
  const cpuUs = cpu ? { cpuUs: Math.round((sum((s) => s.cpuSeconds ?? 0) / answers) * 1e6) } : {}
  if (slices.every((s) => s.latencies)) {
    return {
      ...percentiles(slices.flatMap((s) => s.latencies ?? [])),
      rps: counts.ok / sum((s) => s.seconds),
      ...counts,
      ...cpuUs,
      lateMs: Math.round(Math.max(...slices.map((s) => s.lateMs ?? 0)) * 10) / 10,
    }
  }
  return {
    rps: median(slices.map((s) => s.rps)),
    p50: median(slices.map((s) => s.p50)),
    p99: median(slices.map((s) => s.p99)),
    ...counts,
    ...cpuUs,
  }
}

async function main() {
  const job = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as Job
  const run = (target: Target, duration: number) =>
    job.overallRate
      ? paced(target, job.connections, job.overallRate, duration)
      : flatOut(target, job.connections, duration)
  const slices = job.targets.length > 1 ? (job.slices ?? 4) : 1
  if (job.warmupSeconds) for (const target of job.targets) await run(target, job.warmupSeconds)
  const measured: Slice[][] = job.targets.map(() => [])
  const forward = job.targets.map((_, i) => i)
  for (let round = 0; round < slices; round++) {
    for (const i of round % 2 === 0 ? forward : [...forward].reverse()) {
      const target = job.targets[i] as Target
      const before = target.pid === undefined ? 0 : cpuSecondsOf(target.pid)
      const slice = await run(target, job.durationSeconds / slices)
      if (target.pid !== undefined) slice.cpuSeconds = cpuSecondsOf(target.pid) - before
      measured[i]?.push(slice)
    }
  }
  process.stdout.write(`${JSON.stringify(measured.map(combine))}\n`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
