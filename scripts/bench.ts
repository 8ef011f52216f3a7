import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { PAPER_POLICY_V2 } from '../src/domain/policies/paper-v2'
import { apiKeyService } from '../src/services/api-keys'
import { openStore } from '../src/store/open-store'
import { ledger, publicPortal } from '../test/fixtures/descriptors'
import { postgresDatabase } from '../test/helpers/databases'
import { randomDescriptor, rng } from '../test/helpers/generate'
import { engineInstructions, hasValgrind } from './bench/engine-instructions'
import type { LoadResult } from './bench/load'
import { freePort } from './lib/free-port'
import { seedAssessments } from './lib/seed'

/** A target's result, with its server's resident memory right after the run (when it has a pid). */
type Load = LoadResult & { rssMb?: number }

/**
 * `npm run bench` (add `-- --postgres <admin url>` for PostgreSQL, `--duration <s>` per run,
 * `--export <rows>`, `--instructions` for the engine's instruction count): the service next to
 * the limits it should be judged by, measured in the same run on loopback, in turns (a service
 * and its limits each get a quarter of their seconds in alternation, so that the machine's drift
 * reaches both alike). The servers run pinned to core 0 and the load generator (autocannon, in
 * its own process) to core 1 when there are two. Prints a Markdown table: requests/s, p50/p99
 * and each service figure as a ratio to its limit, with each server's CPU per answer and resident
 * memory right after its run; then the engine alone, p99 at half the maximum rate (next to the
 * limit's at the same rate), an export, and the services' RSS, right after their load and at
 * rest. Not part of `npm test`.
 */

const ROOT = path.resolve(__dirname, '..')
const run = promisify(execFile)
const PINNED = cpus().length >= 2
const argument = (name: string) => {
  const at = process.argv.indexOf(name)
  return at >= 0 ? process.argv[at + 1] : undefined
}
const DURATION = Number(argument('--duration') ?? 8)
// Every server gets this much load first, not measured: V8 compiles hot code as it runs, and a
// short run would otherwise measure the service's first seconds against a warm limit server.
const WARMUP = Number(argument('--warmup') ?? 3)
const EXPORT_ROWS = Number(argument('--export') ?? 100_000)
const POSTGRES = argument('--postgres')
/** `--only evaluate,reads,writes,batch,export,postgres`: the sections to run (default all). */
const ONLY = argument('--only')?.split(',')
/** `--instructions`: also count the engine's instructions per decision (valgrind; about three minutes). */
const INSTRUCTIONS = process.argv.includes('--instructions')
const section = (name: string) => !ONLY || ONLY.includes(name)
/**
 * Seconds a service is left idle before its resident memory is read again. What a service holds
 * right after load is mostly garbage V8 has not yet collected (it collects when it allocates);
 * at rest its memory reducer collects within one to two minutes (BENCHMARKS.md, the twelfth
 * session). Both figures are printed, with how long the service had been idle.
 */
const REST_SECONDS = 120

/** A Node process pinned to a core (when there are two), with tsx for TypeScript sources. */
function node(core: number, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const argv = (args[0] as string).endsWith('.ts') ? ['--require', 'tsx/cjs', ...args] : args
  return spawn(
    PINNED ? 'taskset' : process.execPath,
    PINNED ? ['-c', String(core), process.execPath, ...argv] : argv,
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
}

interface Server {
  base: string
  child: ChildProcess
  rssMb: () => number
  stop: () => Promise<void>
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024
}

function wrap(child: ChildProcess, base: string): Server {
  return {
    base,
    child,
    rssMb: () => rssOf(child.pid as number),
    stop: async () => {
      if (child.exitCode !== null) return
      child.kill('SIGTERM')
      await once(child, 'exit')
    },
  }
}

async function limitServer(mode: string, target?: string, replyBytes?: number): Promise<Server> {
  const child = node(
    0,
    ['scripts/bench/limit-server.ts', mode, ...(target ? [target] : [])],
    replyBytes ? { REPLY_BYTES: String(replyBytes) } : {},
  )
  const base = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /listening (http:\/\/\S+)/.exec(out)
      if (match?.[1]) resolve(match[1])
    })
    child.once('exit', () => reject(new Error(`limit server ${mode} exited`)))
  })
  return wrap(child, base)
}

async function service(databaseUrl: string): Promise<Server> {
  const port = await freePort()
  // What `npm start` runs: the compiled service (main() builds it first).
  const child = node(0, ['dist/server.js'], {
    // As `npm start` and the container image set it (README, Configuration).
    MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    PORT: String(port),
    // Request logs off: the limit servers log nothing either (README: what info logging costs).
    LOG_LEVEL: 'warn',
    MIGRATE_ON_START: 'true',
    RATE_LIMIT_MAX: '1000000000',
    AUDIT_CHECKPOINT_EVERY: '1000000',
  })
  child.stdout?.resume()
  const base = `http://127.0.0.1:${port}`
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break
    } catch {
      // not yet listening
    }
    if (i > 600) throw new Error('the service did not start')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return wrap(child, base)
}

/** One request a run sends over and over: to the service (with a key) or to a limit server. */
interface Request {
  url: string
  method: 'GET' | 'POST'
  body?: unknown
  key?: string
  /** The server's process: its CPU per answer is reported beside the rate. */
  pid?: number
}

/**
 * Runs the load generator on its core against one or more targets, measured in turns (see
 * scripts/bench/load.ts: the machine's speed drifts, so a service and its limits are measured
 * side by side rather than one after the other); one result per target.
 */
async function measure(
  targets: Request[],
  options: { connections: number; overallRate?: number; durationSeconds?: number },
): Promise<Load[]> {
  const payload = {
    targets: targets.map((t) => ({
      url: t.url,
      method: t.method,
      headers: {
        ...(t.key ? { authorization: `Bearer ${t.key}` } : {}),
        ...(t.body ? { 'content-type': 'application/json' } : {}),
      },
      body: t.body ? JSON.stringify(t.body) : undefined,
      pid: t.pid,
    })),
    connections: options.connections,
    durationSeconds: options.durationSeconds ?? DURATION,
    warmupSeconds: WARMUP,
    overallRate: options.overallRate,
  }
  // The job goes through a file: a batch body is too large for a command line.
  const jobFile = path.join(tmpdir(), `placement-bench-job-${process.pid}-${Date.now()}.json`)
  writeFileSync(jobFile, JSON.stringify(payload))
  const argv = ['--require', 'tsx/cjs', 'scripts/bench/load.ts', jobFile]
  const { stdout } = await run(
    PINNED ? 'taskset' : process.execPath,
    PINNED ? ['-c', '1', process.execPath, ...argv] : argv,
    { cwd: ROOT, maxBuffer: 1 << 20 },
  ).finally(() => rmSync(jobFile, { force: true }))
  const results = JSON.parse(stdout.trim().split('\n').pop() as string) as Load[]
  // Each server's resident memory right after its load, read while it still holds what the load
  // left: the service's and its limits' side by side in the row.
  return results.map((result, i) => {
    const pid = targets[i]?.pid
    return pid === undefined ? result : { ...result, rssMb: rssOf(pid) }
  })
}

const rows: string[] = []
const row = (path: string, clients: number, service: Load, limit?: Load, note = '', withRatio = true) => {
  const ratio = limit && withRatio ? (service.rps / limit.rps).toFixed(2) : ''
  // CPU per answer: less at the machine's mercy than a rate, and it says where a ratio comes from.
  if (service.cpuUs !== undefined) {
    const cpu = `CPU per answer ${service.cpuUs} us${limit?.cpuUs !== undefined ? ` (limit ${limit.cpuUs} us)` : ''}`
    note = note ? `${note}; ${cpu}` : cpu
  }
  if (service.rssMb !== undefined) {
    const rss = `RSS ${service.rssMb.toFixed(0)} MB${limit?.rssMb !== undefined ? ` (limit ${limit.rssMb.toFixed(0)} MB)` : ''}`
    note = note ? `${note}; ${rss}` : rss
  }
  const fmt = (l?: Load) => (l ? `${l.rps.toFixed(0)} | ${l.p50} / ${l.p99}` : ' | ')
  const line = `| ${path} | ${clients} | ${fmt(service)} | ${fmt(limit)} | ${ratio} | ${note}${service.other || service.errors ? ` (non-2xx ${service.other}, errors ${service.errors})` : ''} |`
  rows.push(line)
  process.stdout.write(`${line}\n`)
}

function engineBenchmark(): string {
  // The compiled engine, as the service runs it (main() has just built it).
  const { decide } = require(
    path.join(ROOT, 'dist', 'domain', 'engine.js'),
  ) as typeof import('../src/domain/engine')
  const random = rng(7)
  const descriptors = Array.from({ length: 1000 }, (_, i) => randomDescriptor(random, i))
  for (const d of descriptors) decide(d, PAPER_POLICY_V2)
  let count = 0
  const started = process.hrtime.bigint()
  const until = started + 3_000_000_000n
  while (process.hrtime.bigint() < until) {
    for (const d of descriptors) decide(d, PAPER_POLICY_V2)
    count += descriptors.length
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  return `${(count / seconds).toFixed(0)} decisions/s on one core (${((seconds / count) * 1e6).toFixed(0)} us each, model 2, English messages)`
}

async function keyFor(databaseUrl: string, role: 'submitter' | 'auditor' = 'submitter'): Promise<string> {
  const store = await openStore({ databaseUrl, migrate: true })
  try {
    return (await apiKeyService(store.apiKeys).create('bench', role)).key
  } finally {
    await store.close()
  }
}

/** The share of a limit, as printed. */
const share = (service: Load, limit: Load) => (service.rps / limit.rps).toFixed(2)

/**
 * The longest the service's event loop was held since the previous call, in ms: prom-client's
 * loop-delay maximum, which it starts again at each scrape of /metrics (an auditor's key).
 * Beside a paced p99, it tells a stall in the service from one elsewhere.
 */
async function loopStallMs(base: string, auditorKey: string): Promise<number | undefined> {
  const answer = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${auditorKey}` } })
  const found = /^placement_nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(await answer.text())
  return found ? Math.round(Number(found[1]) * 10_000) / 10 : undefined
}

/**
 * The paced row: the service at half its maximum rate, the limit at the same rate beside it, and
 * how long the service's event loop was held meanwhile (read before, to start it again, and after).
 */
async function pacedRow(
  path: string,
  targets: Request[],
  rate: number,
  serviceBase: string,
  auditorKey: string,
) {
  await loopStallMs(serviceBase, auditorKey)
  const [half, limitHalf] = (await measure(targets, { connections: 32, overallRate: rate })) as [Load, Load]
  const loopMs = await loopStallMs(serviceBase, auditorKey)
  const loop = loopMs === undefined ? '' : `; the service's event loop held up to ${loopMs} ms`
  row(
    `${path} at half its maximum rate`,
    32,
    half,
    limitHalf,
    `p99 ${half.p99} ms (the limit's at the same rate: ${limitHalf.p99} ms); the generator sent at most ${half.lateMs} ms late (${limitHalf.lateMs} beside the limit)${loop}`,
    false,
  )
}

async function writes(kind: string, databaseUrl: string, limitMode: string, limitTarget: string) {
  const key = await keyFor(databaseUrl)
  const auditor = await keyFor(databaseUrl, 'auditor')
  const svc = await service(databaseUrl)
  const limit = await limitServer(limitMode, limitTarget)
  try {
    const targets: Request[] = [
      { url: `${svc.base}/v1/assessments`, method: 'POST', body: ledger(), key, pid: svc.child.pid },
      { url: `${limit.base}/bench`, method: 'POST', body: ledger(), pid: limit.child.pid },
    ]
    const [one, oneLimit] = await measure(targets, { connections: 1 })
    const [many, manyLimit] = await measure(targets, { connections: 32 })
    row(`POST /v1/assessments (${kind})`, 1, one as Load, oneLimit)
    row(`POST /v1/assessments (${kind})`, 32, many as Load, manyLimit)
    const rate = Math.max(1, Math.floor((many as Load).rps / 2))
    await pacedRow(`POST /v1/assessments (${kind})`, targets, rate, svc.base, auditor)
  } finally {
    await limit.stop()
  }
  return svc
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`

/**
 * A path of the service against its limit and against a bare server answering as many bytes
 * as the service's answer (which separates what the answer's size costs from the service's own
 * work), the three measured in turns; then paced at half the service's maximum, the limit at
 * the same rate beside it. Returns the limit's result (the list page is judged by it too).
 */
async function withLimits(
  label: string,
  request: Request,
  mode: 'post' | 'get',
  limitPath: string,
  auditorKey: string,
) {
  const answer = await fetch(request.url, {
    method: request.method,
    headers: {
      authorization: `Bearer ${request.key}`,
      ...(request.body ? { 'content-type': 'application/json' } : {}),
    },
    body: request.body ? JSON.stringify(request.body) : undefined,
  })
  const bytes = (await answer.arrayBuffer()).byteLength
  const limit = await limitServer(mode)
  const sameSize = await limitServer(mode, undefined, bytes)
  try {
    const bare: Request = {
      url: `${limit.base}${limitPath}`,
      method: request.method,
      body: request.body,
      pid: limit.child.pid,
    }
    const [svc, lim, same] = (await measure(
      [request, bare, { ...bare, url: `${sameSize.base}${limitPath}`, pid: sameSize.child.pid }],
      { connections: 32 },
    )) as [Load, Load, Load]
    row(label, 32, svc, lim, `${share(svc, same)} of a bare server answering the same ${kb(bytes)}`)
    row(`(reference) bare ${mode.toUpperCase()} answering ${kb(bytes)}`, 32, same, lim)
    const rate = Math.max(1, Math.floor(svc.rps / 2))
    await pacedRow(label, [request, bare], rate, new URL(request.url).origin, auditorKey)
    return lim
  } finally {
    await limit.stop()
    await sameSize.stop()
  }
}

async function main() {
  process.stdout.write(
    `# npm run bench: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}, ${DURATION} s per target after ${WARMUP} s of warm-up (in 4 turns alongside its limits), ${PINNED ? 'servers on core 0, load on core 1' : 'not pinned'}\n\n`,
  )
  // What `npm start` builds: the compiled code and the pages' templates and assets next to it.
  await run('npm', ['run', '-s', 'build'], { cwd: ROOT })
  process.stdout.write(`engine: ${engineBenchmark()}\n`)
  if (INSTRUCTIONS) {
    process.stdout.write(
      hasValgrind()
        ? `engine: ${await engineInstructions()} instructions a decision (callgrind, the same from run to run)\n`
        : 'engine: no valgrind here to count instructions\n',
    )
  }
  process.stdout.write('\n')
  process.stdout.write(
    '| path | clients | service req/s | p50 / p99 ms | limit req/s | p50 / p99 ms | ratio | note |\n|---|---|---|---|---|---|---|---|\n',
  )

  const dir = mkdtempSync(path.join(tmpdir(), 'placement-bench-'))
  const servers: Server[] = []
  try {
    const sqliteUrl = `file:${path.join(dir, 'bench.db')}`
    const svc = section('writes')
      ? await writes('SQLite', sqliteUrl, 'post-sqlite', path.join(dir, 'limit.db'))
      : await service(sqliteUrl)
    servers.push(svc)
    const key = await keyFor(sqliteUrl)
    const auditor = await keyFor(sqliteUrl, 'auditor')

    if (section('evaluate')) {
      await withLimits(
        'POST /v1/evaluate',
        { url: `${svc.base}/v1/evaluate`, method: 'POST', body: publicPortal(), key, pid: svc.child.pid },
        'post',
        '/bench',
        auditor,
      )
    }

    if (section('reads')) {
      // Reads against a bare GET; a page of 20 from a few hundred stored rows.
      const post = (body: unknown) =>
        fetch(`${svc.base}/v1/assessments`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      const created = (await (await post(ledger())).json()) as { id: string }
      for (let i = 0; i < 200; i++) await post(publicPortal(`Listed ${i}`))
      await withLimits(
        'GET /v1/assessments/{id}',
        { url: `${svc.base}/v1/assessments/${created.id}`, method: 'GET', key, pid: svc.child.pid },
        'get',
        '/bench/some-id',
        auditor,
      )
      const limit = await limitServer('get')
      try {
        const [list, bare] = (await measure(
          [
            { url: `${svc.base}/v1/assessments?limit=20`, method: 'GET', key, pid: svc.child.pid },
            { url: `${limit.base}/bench/some-id`, method: 'GET', pid: limit.child.pid },
          ],
          { connections: 32 },
        )) as [Load, Load]
        row('GET /v1/assessments?limit=20', 32, list, bare)
      } finally {
        await limit.stop()
      }
    }

    if (section('batch')) {
      const [batch] = (await measure(
        [
          {
            url: `${svc.base}/v1/assessments/batch`,
            method: 'POST',
            body: { items: Array.from({ length: 500 }, (_, i) => publicPortal(`Batch item ${i}`)) },
            key,
          },
        ],
        { connections: 2 },
      )) as [Load]
      row(
        'POST /v1/assessments/batch (500 items)',
        2,
        batch,
        undefined,
        `${(batch.rps * 500).toFixed(0)} assessments/s`,
      )
    }

    // The SQLite service's last request is behind it: what it holds now, and when that was.
    const sqliteLastRequestAt = Date.now()
    process.stdout.write(`\nSQLite service RSS right after its last run: ${svc.rssMb().toFixed(0)} MB\n`)

    if (section('export')) {
      // An export of EXPORT_ROWS, seeded straight into a second database.
      const exportUrl = `file:${path.join(dir, 'export.db')}`
      const seedStore = await openStore({ databaseUrl: exportUrl, migrate: true })
      const seeded = await seedAssessments(seedStore, EXPORT_ROWS)
      await seedStore.close()
      const exporter = await service(exportUrl)
      servers.push(exporter)
      const auditor = await keyFor(exportUrl, 'auditor')
      const started = Date.now()
      const res = await fetch(`${exporter.base}/v1/assessments/export?format=ndjson`, {
        headers: { authorization: `Bearer ${auditor}` },
      })
      let lines = 0
      const decoder = new TextDecoder()
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        lines += (decoder.decode(chunk, { stream: true }).match(/\n/g) ?? []).length
      }
      const seconds = (Date.now() - started) / 1000
      process.stdout.write(
        `\nexport: ${lines} NDJSON lines in ${seconds.toFixed(1)} s (${(lines / seconds).toFixed(0)} rows/s; seeded in ${seeded.toFixed(0)} s), exporter RSS ${exporter.rssMb().toFixed(0)} MB\n`,
      )
      await exporter.stop()
    }

    if (POSTGRES && section('postgres')) {
      process.env.TEST_POSTGRES_URL = POSTGRES
      const serviceDb = await postgresDatabase()
      const limitDb = await postgresDatabase()
      try {
        const pgService = await writes('PostgreSQL', serviceDb.url, 'post-pg', limitDb.url)
        servers.push(pgService)
        process.stdout.write(
          `PostgreSQL service RSS right after its runs: ${pgService.rssMb().toFixed(0)} MB\n`,
        )
        await new Promise((resolve) => setTimeout(resolve, REST_SECONDS * 1000))
        process.stdout.write(
          `PostgreSQL service RSS after ${REST_SECONDS} s at rest: ${pgService.rssMb().toFixed(0)} MB\n`,
        )
        await pgService.stop()
      } finally {
        await serviceDb.cleanup()
        await limitDb.cleanup()
      }
    }
    const idle = Math.round((Date.now() - sqliteLastRequestAt) / 1000)
    process.stdout.write(
      `\nSQLite service RSS after the whole run (${idle} s since its last request): ${svc.rssMb().toFixed(0)} MB\n`,
    )
  } finally {
    for (const server of servers) await server.stop().catch(() => {})
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
