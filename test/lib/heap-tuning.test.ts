import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'

const ROOT = path.join(__dirname, '..', '..')

/**
 * A child process allocates objects at one site and keeps them, as a create keeps its objects
 * through the group commit's wait, with V8 tracing its pretenuring decisions. Without tuneHeap()
 * V8 decides to allocate that site's objects in the old generation (the control, so that the
 * test can fail); after it, V8 does not track the site at all.
 */
async function pretenuringTrace(tuned: boolean): Promise<string> {
  const script = [
    tuned ? "require('./src/lib/heap-tuning').tuneHeap()" : '',
    'const make = (i) => ({ i, pair: [i, i + 1] })',
    'const kept = []',
    'for (let round = 0; round < 30; round++) {',
    '  for (let i = 0; i < 100000; i++) kept.push(make(i))',
    '  if (kept.length > 1000000) kept.length = 0',
    '}',
  ].join('\n')
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--trace-pretenuring-statistics', '--trace-pretenuring', '--require', 'tsx/cjs', '-e', script],
    { cwd: ROOT, maxBuffer: 1 << 24 },
  )
  return stdout
}

describe('heap tuning', () => {
  test('without it, V8 pretenures a site whose objects survive', async () => {
    expect(await pretenuringTrace(false)).toMatch(/=> tenure/)
  }, 60_000)

  test('with it, V8 pretenures nothing', async () => {
    expect(await pretenuringTrace(true)).not.toMatch(/pretenuring:/)
  }, 60_000)
})
