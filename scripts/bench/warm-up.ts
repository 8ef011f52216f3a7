import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import { PAPER_POLICY_V2 } from '../../src/domain/policies/paper-v2'
import { apiKeyService } from '../../src/services/api-keys'
import { openStore } from '../../src/store/open-store'
import { publicPortal } from '../../test/fixtures/descriptors'
import { randomDescriptor, rng } from '../../test/helpers/generate'
import { freePort } from '../lib/free-port'

/**
 * How soon a freshly started service answers at full speed: evaluations from its first second
 * under load (32 connections, as fast as possible), counted second by second. `npm run bench`
 * measures after its warm-up; this is the warm-up itself. Until V8 has optimized the hot code
 * the service runs it unoptimized, and on one busy core V8's compiler threads run only when the
 * event loop leaves the core (thread-priority.ts): a function that takes long to optimize, or
 * is optimized again and again, keeps the service slow for seconds (BENCHMARKS.md, the
 * twenty-first session).
 *
 * `tsx scripts/bench/warm-up.ts [seconds] [dist] [--varied]`: the service compiled in `dist`
 * (default `dist/`, build it first), pinned to core 0 and the load to core 1 when there are two
 * cores; `--varied`: 1 000 generated descriptors in turn instead of the bench's one.
 */
const ROOT = path.join(__dirname, '..', '..')
const args = process.argv.slice(2).filter((a) => !a.startsWith('--'))
const SECONDS = Number(args[0] ?? 20)
const DIST = path.resolve(ROOT, args[1] ?? 'dist')
const VARIED = process.argv.includes('--varied')
const PINNED = cpus().length >= 2

async function main() {
  if (!existsSync(path.join(DIST, 'server.js'))) {
    throw new Error(`${path.join(DIST, 'server.js')} is missing: build the service first (npm run build)`)
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'placement-warm-up-'))
  const databaseUrl = `file:${path.join(dir, 'warm-up.db')}`
  const store = await openStore({ databaseUrl, migrate: true })
  const { key } = await apiKeyService(store.apiKeys)
    .create('bench', 'submitter')
    .finally(() => store.close())
  const port = await freePort()
  const argv = [path.join(DIST, 'server.js')]
  // As `npm run bench` starts the service (scripts/bench.ts, service()).
  const child = spawn(
    PINNED ? 'taskset' : process.execPath,
    PINNED ? ['-c', '0', process.execPath, ...argv] : argv,
    {
      cwd: ROOT,
      env: {
        ...process.env,
        MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
        DATABASE_URL: databaseUrl,
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'warn',
        RATE_LIMIT_MAX: '1000000000',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  )
  const base = `http://127.0.0.1:${port}`
  try {
    for (
      let i = 0;
      !(await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      ));
      i++
    ) {
      if (i > 600) throw new Error('the service did not start')
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    const random = rng(7)
    const bodies = VARIED
      ? Array.from({ length: 1000 }, (_, i) => JSON.stringify(randomDescriptor(random, i)))
      : [JSON.stringify(publicPortal())]
    let next = 0
    const perSecond: number[] = []
    // The load generator on its own core, as the bench's (this process: taskset below).
    let done: (result: autocannon.Result) => void = () => {}
    let failed: (error: unknown) => void = () => {}
    const finished = new Promise<autocannon.Result>((resolve, reject) => {
      done = resolve
      failed = reject
    })
    const run = autocannon(
      {
        url: `${base}/v1/evaluate`,
        method: 'POST',
        connections: 32,
        duration: SECONDS,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        requests: [{ setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] }) }],
      },
      (error, result) => (error ? failed(error) : done(result)),
    )
    let answered = 0
    run.on('response', () => {
      answered++
    })
    const second = setInterval(() => {
      perSecond.push(answered)
      answered = 0
    }, 1000)
    const result = await finished.finally(() => clearInterval(second))
    // The last second ends with the run, before its timer would have fired.
    if (perSecond.length < SECONDS) perSecond.push(answered)
    console.log(
      `# evaluations answered in each second from a cold start (${VARIED ? '1 000 generated descriptors' : 'the bench descriptor'}, policy ${PAPER_POLICY_V2.id}, 32 connections; non-2xx ${result.non2xx}, errors ${result.errors})`,
    )
    console.log(perSecond.slice(0, SECONDS).join(' '))
  } finally {
    child.kill('SIGTERM')
    await once(child, 'exit')
    rmSync(dir, { recursive: true, force: true })
  }
}

if (PINNED && !process.env.WARM_UP_PINNED) {
  // Runs itself again pinned to core 1, away from the service's core.
  const child = spawn(
    'taskset',
    ['-c', '1', process.execPath, ...process.execArgv, __filename, ...process.argv.slice(2)],
    {
      env: { ...process.env, WARM_UP_PINNED: '1' },
      stdio: 'inherit',
    },
  )
  child.on('exit', (code) => process.exit(code ?? 1))
} else {
  main().catch((error: unknown) => {
    console.error(error)
    process.exit(1)
  })
}
