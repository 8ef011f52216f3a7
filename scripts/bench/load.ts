import { readFileSync } from 'node:fs'
import http from 'node:http'
import { performance } from 'node:perf_hooks'
import { setImmediate as turn } from 'node:timers/promises'
import autocannon from 'autocannon'

/**
 * The load generator, in a process of its own (pinned to its own core by `npm run bench`):
 * reads one job from the JSON file named on its command line, runs it, prints the result as one
 * JSON line. As fast as possible: autocannon (closed loop, `connections` requests in flight).
 * At a given rate: paced here, one request every 1/rate seconds whatever the answers do (open
 * loop), each latency counted from when its request was due. autocannon's own rate limit sends
 * each second's budget in a burst at the start of the second, so its percentiles measure the
 * burst's queue, not the service; and a closed loop that waits for slow answers would send
 * fewer requests exactly when the service is slow (coordinated omission).
 */
interface Job {
  url: string
  method: 'GET' | 'POST'
  body?: string
  headers?: Record<string, string>
  connections: number
  durationSeconds: number
  /** Requests per second for the whole run (all connections), paced; unset: as fast as possible. */
  overallRate?: number
  /** Seconds of the same load first, not measured (the server's code warms up). */
  warmupSeconds?: number
}

/** One run's outcome, printed as one JSON line (what `npm run bench` reads). */
export interface LoadResult {
  rps: number
  p50: number
  p99: number
  ok: number
  other: number
  errors: number
}

async function flatOut(job: Job, duration: number): Promise<LoadResult> {
  const result = await autocannon({
    url: job.url,
    method: job.method,
    body: job.body,
    headers: job.headers,
    connections: job.connections,
    duration,
  })
  const ok = result['2xx']
  return {
    rps: ok / (result.duration || duration),
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    other: result.non2xx,
    errors: result.errors + result.timeouts,
  }
}

async function paced(job: Job, rate: number, duration: number): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.connections })
  const url = new URL(job.url)
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
          method: job.method,
          headers: job.headers,
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
      request.end(job.body)
    })
  const interval = 1000 / rate
  const start = performance.now()
  const count = Math.floor(rate * duration)
  const pending: Promise<void>[] = []
  for (let i = 0; i < count; i++) {
    const due = start + i * interval
    while (performance.now() < due) await turn()
    pending.push(send(due))
  }
  await Promise.all(pending)
  const seconds = (performance.now() - start) / 1000
  agent.destroy()
  latencies.sort((a, b) => a - b)
  const at = (q: number) =>
    Math.round((latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? 0) * 10) / 10
  return { rps: ok / seconds, p50: at(0.5), p99: at(0.99), ok, other, errors }
}

async function main() {
  const job = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as Job
  const run = (duration: number) =>
    job.overallRate ? paced(job, job.overallRate, duration) : flatOut(job, duration)
  if (job.warmupSeconds) await run(job.warmupSeconds)
  process.stdout.write(`${JSON.stringify(await run(job.durationSeconds))}\n`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
