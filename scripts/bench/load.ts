import { readFileSync } from 'node:fs'
import autocannon from 'autocannon'

/**
 * The load generator, in a process of its own (pinned to its own core by `npm run bench`):
 * reads one job from the JSON file named on its command line, runs autocannon, prints the result as one JSON line.
 */
interface Job {
  url: string
  method: 'GET' | 'POST'
  body?: string
  headers?: Record<string, string>
  connections: number
  durationSeconds: number
  /** Requests per second for the whole run (all connections); unset: as fast as possible. */
  overallRate?: number
  /** Seconds of the same load first, not measured (the server's code warms up). */
  warmupSeconds?: number
}

async function main() {
  const job = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as Job
  const run = (duration: number) =>
    autocannon({
      url: job.url,
      method: job.method,
      body: job.body,
      headers: job.headers,
      connections: job.connections,
      duration,
      ...(job.overallRate ? { overallRate: job.overallRate } : {}),
    })
  if (job.warmupSeconds) await run(job.warmupSeconds)
  const result = await run(job.durationSeconds)
  const ok = result['2xx']
  process.stdout.write(
    `${JSON.stringify({
      rps: ok / (result.duration || job.durationSeconds),
      p50: result.latency.p50,
      p99: result.latency.p99,
      ok,
      other: result.non2xx,
      errors: result.errors + result.timeouts,
    })}\n`,
  )
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
