import { execFile, execFileSync } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { DESCRIPTORS_PER_ROUND } from './engine-work'

/**
 * The engine's instructions per decision, counted by valgrind's callgrind: unlike a time, the
 * count is the same from one run to the next whatever else the machine does (the same 4 000
 * decisions counted 7 377 125 697 and 7 377 128 130 instructions), so it shows a change of one
 * per cent on a machine whose speed drifts by tens (BENCHMARKS.md, the tenth session).
 *
 * `--single-threaded --predictable`: V8 compiles and collects on the main thread and lets no
 * timer decide when, so every run does the same work; the collector's work is counted. The
 * figure is the difference between a run of 60 rounds and one of 20 of engine-work.ts, divided
 * by the decisions between them, so that start-up and compilation cancel out. The two runs go
 * at once (one a core); together about three minutes.
 */
const ROUNDS = [20, 60] as const

export function hasValgrind(): boolean {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

async function collected(rounds: number, dist: string): Promise<number> {
  const { stderr } = await promisify(execFile)(
    'valgrind',
    [
      '--tool=callgrind',
      '--callgrind-out-file=/dev/null',
      // V8 writes the machine code it runs: valgrind must look for code that changed.
      '--smc-check=all-non-file',
      process.execPath,
      '--single-threaded',
      '--predictable',
      '--require',
      'tsx/cjs',
      path.join(__dirname, 'engine-work.ts'),
      String(rounds),
      dist,
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  )
  const found = /Collected : (\d+)/.exec(stderr)
  if (!found) throw new Error(`callgrind printed no count:\n${stderr.slice(-2000)}`)
  return Number(found[1])
}

/** Instructions per decision of the compiled engine in `dist` (the project's own by default). */
export async function engineInstructions(dist = path.join(__dirname, '..', '..', 'dist')): Promise<number> {
  // tsx keeps what it compiled in a cache: filled first, so that neither counted run compiles
  // the sources while the other reads them (which made two counts differ by 0.1 %).
  await promisify(execFile)(process.execPath, [
    '--require',
    'tsx/cjs',
    path.join(__dirname, 'engine-work.ts'),
    '0',
    dist,
  ])
  const [few, many] = (await Promise.all(ROUNDS.map((rounds) => collected(rounds, dist)))) as [number, number]
  return Math.round((many - few) / ((ROUNDS[1] - ROUNDS[0]) * DESCRIPTORS_PER_ROUND))
}

// `tsx scripts/bench/engine-instructions.ts [dist]`: the count alone, e.g. for two builds.
if (require.main === module) {
  engineInstructions(process.argv[2]).then(
    (n) => process.stdout.write(`${n} instructions a decision\n`),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`)
      process.exitCode = 1
    },
  )
}
