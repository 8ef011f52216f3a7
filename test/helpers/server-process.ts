import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import path from 'node:path'

const ROOT = path.resolve(__dirname, '..', '..')

export interface ServerProcess {
  child: ChildProcess
  baseUrl: string
  /** SIGTERM, then the exit code. */
  stop: () => Promise<number | null>
}

/** Spawns src/server.ts with its own PORT and returns once it listens. */
export async function startServer(env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const child = spawnServer(env)
  const baseUrl = await listening(child)
  return {
    child,
    baseUrl,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode
      child.kill('SIGTERM')
      const [code] = await once(child, 'exit')
      return code as number | null
    },
  }
}

/** Resolves with the base URL once the server logs that it listens; keeps draining its output. */
export function listening(child: ChildProcess): Promise<string> {
  let output = ''
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match?.[1]) resolve(match[1])
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.once('exit', () => reject(new Error(`server exited before listening: ${output}`)))
  })
}

/** Spawns src/server.ts; Node itself with tsx's loader, so that signals reach the server. */
export function spawnServer(env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--require', 'tsx/cjs', 'src/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      // The suite's two workers and these servers share two cores: an event loop starved of CPU
      // for a moment is the machine's doing, not load to shed. Tests of shedding set their own.
      PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}
