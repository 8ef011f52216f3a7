import { execFileSync } from 'node:child_process'
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

/**
 * The process environment the service starts with, outside the service's own configuration:
 * `npm start` and the container image give glibc's allocator two arenas (README, Configuration;
 * BENCHMARKS.md, the thirteenth session). The start script is run as npm runs it (`sh -c`), with
 * a `node` first on the PATH that reports what it was given instead of starting the service.
 */
const ROOT = path.join(__dirname, '..')
const startScript = (
  JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>
  }
).scripts.start as string

function startedWith(env: Record<string, string>): string {
  const bin = mkdtempSync(path.join(tmpdir(), 'start-env-'))
  try {
    const fake = path.join(bin, 'node')
    writeFileSync(fake, '#!/bin/sh\nprintf "%s|%s" "$MALLOC_ARENA_MAX" "$*"\n')
    chmodSync(fake, 0o755)
    const { MALLOC_ARENA_MAX: _ignored, ...inherited } = process.env
    return execFileSync('sh', ['-c', startScript], {
      cwd: ROOT,
      env: { ...inherited, ...env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` },
      encoding: 'utf8',
    })
  } finally {
    rmSync(bin, { recursive: true, force: true })
  }
}

describe('the environment the service starts with', () => {
  test('npm start runs the compiled server with two malloc arenas', () => {
    expect(startedWith({})).toBe('2|dist/server.js')
  })

  test('an operator’s own MALLOC_ARENA_MAX is kept', () => {
    expect(startedWith({ MALLOC_ARENA_MAX: '4' })).toBe('4|dist/server.js')
  })

  test('the container image sets the same', () => {
    const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '))
    expect(runtime).toMatch(/^ENV (?:[^\n]*\\\n)*\s*MALLOC_ARENA_MAX=2\b/m)
  })
})
