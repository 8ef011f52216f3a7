import { type ChildProcess, execFileSync } from 'node:child_process'
import { once } from 'node:events'
import http from 'node:http'
import net from 'node:net'
import path from 'node:path'
import { ledger, publicPortal } from '../test/fixtures/descriptors'
import { postgresDatabase, sqliteDatabase, type ThrowawayDatabase } from '../test/helpers/databases'
import { rawDatabase } from '../test/helpers/raw-db'
import { listening, spawnServer } from '../test/helpers/server-process'
import { TcpProxy } from '../test/helpers/tcp-proxy'

/**
 * A load-and-fault run a maintainer can start by hand (`npm run load-and-fault`, add
 * `-- --postgres postgresql://postgres@127.0.0.1:5432/postgres` for the PostgreSQL store):
 * the service as its own process on loopback, on a throw-away database, put through
 * kill -9 under load, floods past the rate limits, oversized, slow and idle clients and,
 * on PostgreSQL, a database cut and a blackhole under load. Every phase is bounded (about two
 * minutes in all); it prints what it saw and exits 1 if a promise was broken.
 */

const ROOT = path.resolve(__dirname, '..')
const STATEMENT_TIMEOUT_MS = 2000
const BOUND_MS = STATEMENT_TIMEOUT_MS + 1000
const RATE_LIMIT_MAX = 300

interface Finding {
  store: string
  phase: string
  saw: string
  ok: boolean
}
const findings: Finding[] = []
const note = (store: string, phase: string, saw: string, ok: boolean) => {
  findings.push({ store, phase, saw, ok })
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} [${store}] ${phase}: ${saw}\n`)
}

interface Answer {
  status: number
  ms: number
  body: string
  error?: string
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })

function call(
  base: string,
  method: string,
  urlPath: string,
  options: { key?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const started = Date.now()
  const payload =
    options.raw !== undefined
      ? Buffer.from(options.raw)
      : options.body === undefined
        ? undefined
        : Buffer.from(JSON.stringify(options.body))
  return new Promise((resolve) => {
    const req = http.request(
      `${base}${urlPath}`,
      {
        method,
        agent,
        headers: {
          ...(options.key ? { Authorization: `Bearer ${options.key}` } : {}),
          ...(payload
            ? { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) }
            : {}),
          ...options.headers,
        },
        timeout: 30000,
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (c) => {
          text += c
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: Date.now() - started, body: text }))
        res.on('error', (e) => resolve({ status: 0, ms: Date.now() - started, body: '', error: e.message }))
      },
    )
    req.on('timeout', () => req.destroy(new Error('no answer in 30 s')))
    req.on('error', (e: NodeJS.ErrnoException) =>
      resolve({ status: 0, ms: Date.now() - started, body: '', error: e.code ?? e.message }),
    )
    req.end(payload)
  })
}

function cli(databaseUrl: string, ...args: string[]): string {
  const out = execFileSync(process.execPath, ['--require', 'tsx/cjs', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
  })
  return out.toString().trim().split('\n').pop() ?? ''
}

class Service {
  child: ChildProcess | null = null
  base = ''
  constructor(private readonly env: NodeJS.ProcessEnv) {}
  private extra: NodeJS.ProcessEnv = {}
  /** Starts (or, after a kill, restarts with the same settings) the service. */
  async start(extra: NodeJS.ProcessEnv = this.extra): Promise<void> {
    this.extra = extra
    this.child = spawnServer({ ...this.env, ...extra, PORT: this.base ? new URL(this.base).port : '0' })
    this.base = await listening(this.child)
  }
  async kill9(): Promise<void> {
    this.child?.kill('SIGKILL')
    if (this.child && this.child.exitCode === null && this.child.signalCode === null)
      await once(this.child, 'exit')
  }
  async stop(): Promise<void> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return
    this.child.kill('SIGTERM')
    await once(this.child, 'exit')
  }
}

/** Runs `workers` loops of `job` until `ms` have passed; returns every answer. */
async function load<T>(
  workers: number,
  ms: number,
  job: (worker: number, n: number) => Promise<T>,
): Promise<T[]> {
  const until = Date.now() + ms
  const results: T[] = []
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let n = 0; Date.now() < until; n++) results.push(await job(w, n))
    }),
  )
  return results
}

/** Acknowledged ids the database does not hold, asked of the database itself. */
async function missingFrom(databaseUrl: string, ids: string[]): Promise<number> {
  const raw = await rawDatabase(databaseUrl)
  try {
    const held = new Set((await raw.rows<{ id: string }>('SELECT id FROM assessments')).map((r) => r.id))
    return ids.filter((id) => !held.has(id)).length
  } finally {
    await raw.close()
  }
}

const count = (answers: Answer[]) => {
  const byStatus = new Map<string, number>()
  for (const a of answers) {
    const label = a.status === 0 ? `error:${a.error}` : String(a.status)
    byStatus.set(label, (byStatus.get(label) ?? 0) + 1)
  }
  return [...byStatus.entries()].map(([k, v]) => `${k}x${v}`).join(' ')
}

async function killUnderLoad(
  store: string,
  service: Service,
  databaseUrl: string,
  key: string,
  auditor: string,
) {
  const acknowledged: string[] = []
  let killed = false
  const killer = (async () => {
    await new Promise((r) => setTimeout(r, 2500))
    await service.kill9()
    killed = true
  })()
  const answers = await load(16, 4000, async (w, n) => {
    if (killed) return { status: 0, ms: 0, body: '', error: 'after kill' }
    const a = await call(service.base, 'POST', '/v1/assessments', {
      key,
      body: publicPortal(`kill-${w}-${n}`),
      headers: { 'Idempotency-Key': `kill-${w}-${n}` },
    })
    if (a.status === 201) acknowledged.push(JSON.parse(a.body).id)
    return a
  })
  await killer
  await service.start()
  const missing = await missingFrom(databaseUrl, acknowledged)
  const verify = JSON.parse((await call(service.base, 'GET', '/v1/audit/verify', { key: auditor })).body)
  note(
    store,
    'kill -9 under load (16 clients)',
    `${acknowledged.length} acknowledged before the kill, ${missing} missing after restart; answers ${count(answers.filter((a) => a.error !== 'after kill'))}; audit verify ok=${verify.ok} over ${verify.checked}`,
    missing === 0 && verify.ok === true && acknowledged.length > 0,
  )
}

async function flood(store: string, service: Service, keys: string[]) {
  const per = RATE_LIMIT_MAX + 200
  // Each key sends `per` requests, 8 at a time, all keys at once, while /healthz is probed.
  const flooded = await probing(service, async () =>
    (
      await Promise.all(
        keys.map(async (key) => {
          let sent = 0
          const mine: Answer[] = []
          await Promise.all(
            Array.from({ length: 8 }, async () => {
              while (sent < per) {
                sent++
                mine.push(await call(service.base, 'POST', '/v1/evaluate', { key, body: ledger() }))
              }
            }),
          )
          return mine
        }),
      )
    ).flat(),
  )
  const answers = flooded.result
  const guesses = await load(8, 2000, () =>
    call(service.base, 'GET', '/v1/assessments', { key: 'guessed-key' }),
  )
  const ok = answers.filter((a) => a.status === 200).length
  const refused = answers.filter((a) => a.status === 429).length
  note(
    store,
    `flood: ${keys.length} keys x ${per} requests, limit ${RATE_LIMIT_MAX}/min/key`,
    `${ok} answered, ${refused} refused 429 (${count(answers)}); /healthz worst ${flooded.worst} ms, median ${flooded.median} ms`,
    ok <= keys.length * RATE_LIMIT_MAX &&
      refused > 0 &&
      answers.every((a) => a.status < 500) &&
      flooded.worst < 2000,
  )
  note(
    store,
    'flood without a valid key',
    count(guesses),
    guesses.some((a) => a.status === 429) && guesses.every((a) => a.status === 401 || a.status === 429),
  )
}

/** Probes /healthz every 50 ms while `work` runs; returns the worst and median latency. */
async function probing<T>(
  service: Service,
  work: () => Promise<T>,
): Promise<{ result: T; worst: number; median: number }> {
  const probes: number[] = []
  let running = true
  const prober = (async () => {
    while (running) {
      probes.push((await call(service.base, 'GET', '/healthz')).ms)
      await new Promise((r) => setTimeout(r, 50))
    }
  })()
  const result = await work()
  running = false
  await prober
  const sorted = [...probes].sort((a, b) => a - b)
  return { result, worst: sorted[sorted.length - 1] ?? 0, median: sorted[Math.floor(sorted.length / 2)] ?? 0 }
}

/** The attack: 1 MiB bodies of ~110 000 unknown keys, 8 at a time, with a valid key. */
async function hostileBodies(store: string, service: Service, key: string) {
  const keys: string[] = []
  let size = 2
  for (let i = 0; size < 1024 * 1024 - 20; i++) {
    const entry = `"k${i}":1`
    keys.push(entry)
    size += entry.length + 1
  }
  const body = `{${keys.join(',')}}`
  const { result, worst, median } = await probing(service, async () => {
    const answers: Answer[] = []
    for (let round = 0; round < 5; round++) {
      answers.push(
        ...(await Promise.all(
          Array.from({ length: 8 }, () =>
            call(service.base, 'POST', '/v1/evaluate', { key, headers: {}, body: undefined, raw: body }),
          ),
        )),
      )
    }
    return answers
  })
  const slowest = Math.max(...result.map((a) => a.ms))
  const biggest = Math.max(...result.map((a) => a.body.length))
  note(
    store,
    `hostile bodies (40 x 1 MiB of ${keys.length} unknown keys, 8 at a time)`,
    `${count(result)}; slowest answer ${slowest} ms, largest ${biggest} bytes; /healthz worst ${worst} ms, median ${median} ms`,
    result.every((a) => a.status === 400) && biggest < 10_000 && worst < 2000,
  )
}

async function oversizedAndSlow(store: string, service: Service, key: string) {
  const big = Buffer.alloc(5 * 1024 * 1024, 0x20)
  const port = Number(new URL(service.base).port)
  const outcomes: string[] = []
  for (let i = 0; i < 30; i++) {
    outcomes.push(
      await new Promise<string>((resolve) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/v1/assessments',
            agent: false,
            headers: {
              Authorization: `Bearer ${key}`,
              'Content-Type': 'application/json',
              'Content-Length': big.length,
            },
          },
          (res) => {
            res.resume()
            res.on('end', () => resolve(String(res.statusCode)))
          },
        )
        req.on('error', (e: NodeJS.ErrnoException) => resolve(`error:${e.code}`))
        req.end(big)
      }),
    )
  }
  const got413 = outcomes.filter((o) => o === '413').length
  note(
    store,
    'oversized bodies (30 x 5 MB)',
    `${got413} answered 413; ${outcomes.filter((o) => o !== '413').join(' ') || 'no resets'}`,
    got413 === 30,
  )

  const closedAfter = (bytes: string) =>
    new Promise<number>((resolve) => {
      const started = Date.now()
      const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes))
      socket.on('error', () => {})
      socket.resume()
      socket.on('close', () => resolve(Date.now() - started))
    })
  const slowHeaders = await Promise.all(
    Array.from({ length: 20 }, () => closedAfter('GET /healthz HTTP/1.1\r\nHost: x\r\n')),
  )
  const slowBodies = await Promise.all(
    Array.from({ length: 20 }, () =>
      closedAfter(
        `POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`,
      ),
    ),
  )
  const idle = await Promise.all(
    Array.from({ length: 20 }, () => closedAfter('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n')),
  )
  const worst = (xs: number[]) => Math.max(...xs)
  note(
    store,
    'slow headers (20 sockets)',
    `all closed, the last after ${worst(slowHeaders)} ms (limit 2000 + check)`,
    worst(slowHeaders) < 5000,
  )
  note(
    store,
    'slow bodies (20 sockets)',
    `all closed, the last after ${worst(slowBodies)} ms (limit 4000 + check)`,
    worst(slowBodies) < 7000,
  )
  note(
    store,
    'idle keep-alive (20 sockets)',
    `all closed, the last after ${worst(idle)} ms (limit 1000 + check)`,
    worst(idle) < 4000,
  )
}

async function databaseFaults(
  store: string,
  service: Service,
  proxy: TcpProxy,
  databaseUrl: string,
  key: string,
  auditor: string,
) {
  for (const fault of ['cut', 'blackhole'] as const) {
    const acknowledged: string[] = []
    let phase: 'before' | 'during' | 'after' = 'before'
    const during: Answer[] = []
    const after: Answer[] = []
    const timeline = (async () => {
      await new Promise((r) => setTimeout(r, 1000))
      phase = 'during'
      if (fault === 'cut') proxy.cut()
      else proxy.stall()
      await new Promise((r) => setTimeout(r, 4000))
      proxy.restore()
      phase = 'after'
    })()
    const answers = await load(16, 8000, async (w, n) => {
      const started = phase
      const a = await call(service.base, 'POST', '/v1/assessments', {
        key,
        body: publicPortal(`${fault}-${w}-${n}`),
        headers: { 'Idempotency-Key': `${fault}-${w}-${n}` },
      })
      if (a.status === 201) acknowledged.push(JSON.parse(a.body).id)
      if (started === 'during') during.push(a)
      if (started === 'after') after.push(a)
      return a
    })
    await timeline
    const missing = await missingFrom(databaseUrl, acknowledged)
    const verify = JSON.parse((await call(service.base, 'GET', '/v1/audit/verify', { key: auditor })).body)
    const worst = Math.max(...answers.map((a) => a.ms))
    const recovered = after.slice(-16).some((a) => a.status === 201)
    note(
      store,
      `database ${fault} for 4 s under load (16 clients)`,
      `during: ${count(during)}; after: ${count(after)}; slowest answer ${worst} ms (bound ${BOUND_MS}); recovered=${recovered}; ${acknowledged.length} acknowledged, ${missing} missing; audit verify ok=${verify.ok}`,
      during.every((a) => a.status === 503 || a.status === 201) &&
        worst <= BOUND_MS + 1000 &&
        recovered &&
        missing === 0 &&
        verify.ok === true,
    )
  }
}

async function runOn(store: 'sqlite' | 'postgres') {
  const db: ThrowawayDatabase = store === 'sqlite' ? sqliteDatabase() : await postgresDatabase()
  const proxy = store === 'postgres' ? await TcpProxy.start(new URL(db.url)) : null
  const env = {
    DATABASE_URL: proxy ? proxy.urlFor(db.url) : db.url,
    MIGRATE_ON_START: 'true',
    DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
    DB_CONNECT_TIMEOUT_MS: '2000',
    RATE_LIMIT_MAX: String(RATE_LIMIT_MAX),
    RATE_LIMIT_UNAUTHENTICATED_MAX: '50',
    HTTP_HEADERS_TIMEOUT_MS: '2000',
    HTTP_REQUEST_TIMEOUT_MS: '4000',
    HTTP_KEEP_ALIVE_TIMEOUT_MS: '1000',
  }
  const service = new Service(env)
  try {
    // Migrate and make keys before the service starts, straight on the database.
    cli(db.url, 'db', 'migrate')
    const keys = Array.from({ length: 4 }, (_, i) =>
      cli(db.url, 'keys', 'create', '--org', `load-${i}`, '--role', 'submitter'),
    )
    const auditor = cli(db.url, 'keys', 'create', '--org', 'audit', '--role', 'auditor')
    // Rate limits off while faults are injected: clients retrying through an outage would
    // otherwise spend their budgets, which is the flood's subject, not these phases'.
    await service.start({ RATE_LIMIT_MAX: '1000000000' })
    await killUnderLoad(store, service, db.url, keys[0] as string, auditor)
    await oversizedAndSlow(store, service, keys[1] as string)
    await hostileBodies(store, service, keys[1] as string)
    if (proxy) await databaseFaults(store, service, proxy, db.url, keys[2] as string, auditor)
    await service.stop()
    await service.start({ RATE_LIMIT_MAX: String(RATE_LIMIT_MAX) })
    await flood(store, service, keys)
  } finally {
    await service.stop().catch(() => {})
    await proxy?.close()
    await db.cleanup()
  }
}

async function main() {
  const at = process.argv.indexOf('--postgres')
  const pgUrl = at >= 0 ? process.argv[at + 1] : undefined
  if (pgUrl) process.env.TEST_POSTGRES_URL = pgUrl
  if (!process.argv.includes('--skip-sqlite')) await runOn('sqlite')
  if (pgUrl) await runOn('postgres')
  agent.destroy()
  const failed = findings.filter((f) => !f.ok)
  process.stdout.write(`\n${findings.length - failed.length} of ${findings.length} checks held.\n`)
  process.exit(failed.length === 0 ? 0 : 1)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
