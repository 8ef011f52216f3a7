import { GroupCommit } from '../../src/store/group-commit'

/** A writer that records what it was asked to write, and can be made to fail or never yield. */
function recorder(failWhen: (items: number[]) => boolean = () => false, synchronous = false) {
  const batches: number[][] = []
  const committed: number[] = []
  const write = async (items: number[]) => {
    if (!synchronous) await new Promise((resolve) => setImmediate(resolve))
    batches.push(items)
    if (failWhen(items)) throw new Error(`rejected ${items.join(',')}`)
    committed.push(...items)
  }
  const gc = new GroupCommit<number>({ writeMany: write, writeOne: (item) => write([item]), maxBatch: 50 })
  return { gc, batches, committed }
}

describe('group commit', () => {
  test('items arriving together, or while a write is in flight, are written together, in order', async () => {
    const { gc, batches, committed } = recorder()
    const first = gc.submit(0)
    await new Promise((resolve) => setImmediate(resolve))
    // The first write is now in flight; these wait for the next batch.
    await Promise.all([first, ...Array.from({ length: 9 }, (_, i) => gc.submit(i + 1))])
    expect(batches).toEqual([[0], [1, 2, 3, 4, 5, 6, 7, 8, 9]])
    expect(committed).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  })

  test('a writer that never yields (SQLite) still gets batches from requests arriving one callback apart', async () => {
    const { gc, batches } = recorder(() => false, true)
    // Each request reaches the queue from its own event-loop callback, as parsed HTTP requests do.
    const done = Array.from(
      { length: 10 },
      (_, i) =>
        new Promise<void>((resolve, reject) => setImmediate(() => gc.submit(i).then(resolve, reject))),
    )
    await Promise.all(done)
    expect(batches).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]])
  })

  test('a caller is answered only after its own item committed', async () => {
    const { gc, committed } = recorder()
    const seenAtResolve = new Map<number, number[]>()
    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        gc.submit(i).then(() => {
          seenAtResolve.set(i, [...committed])
        }),
      ),
    )
    for (const [item, snapshot] of seenAtResolve) expect(snapshot).toContain(item)
    expect(seenAtResolve.size).toBe(5)
  })

  test('batches respect maxBatch', async () => {
    const { gc, batches } = recorder()
    await Promise.all(Array.from({ length: 121 }, (_, i) => gc.submit(i)))
    expect(batches.map((b) => b.length)).toEqual([50, 50, 21])
  })

  test('one failing item fails alone; its neighbours commit', async () => {
    const { gc, committed } = recorder((items) => items.includes(3))
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => gc.submit(i)))
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ])
    expect(committed.sort()).toEqual([0, 1, 2, 4, 5])
  })

  test('flushed waits for everything submitted', async () => {
    const { gc, committed } = recorder()
    for (let i = 0; i < 5; i++) void gc.submit(i)
    await gc.flushed()
    expect(committed).toHaveLength(5)
  })

  test('when the database is down, a failed batch and everything queued fail at once, without retries', async () => {
    const attempts: number[][] = []
    const down = Object.assign(new Error('timeout'), { transient: true })
    const gc = new GroupCommit<number>({
      writeMany: async (items) => {
        attempts.push(items)
        await new Promise((resolve) => setImmediate(resolve))
        throw down
      },
      writeOne: async (item) => {
        attempts.push([item])
        throw down
      },
      retryAlone: (error) => !(error as { transient?: boolean }).transient,
      maxBatch: 5,
    })
    const outcomes = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => gc.submit(i)))
    expect(outcomes.every((o) => o.status === 'rejected' && o.reason === down)).toBe(true)
    // One attempt for the first batch; the other seven items never reach the database.
    expect(attempts).toEqual([[0, 1, 2, 3, 4]])
  })

  test('with a concurrency of two, a second batch is written while the first waits, each item once', async () => {
    const started: number[][] = []
    const releases: (() => void)[] = []
    const write = (items: number[]) =>
      new Promise<void>((resolve) => {
        started.push(items)
        releases.push(resolve)
      })
    const gc = new GroupCommit<number>({ writeMany: write, writeOne: (i) => write([i]), concurrency: 2 })
    const first = gc.submit(0)
    await new Promise((resolve) => setImmediate(resolve))
    const second = [gc.submit(1), gc.submit(2)]
    await new Promise((resolve) => setImmediate(resolve))
    // Both in flight, neither committed: a third drain is not started.
    expect(started).toEqual([[0], [1, 2]])
    const third = gc.submit(3)
    await new Promise((resolve) => setImmediate(resolve))
    expect(started).toHaveLength(2)
    for (const release of releases.splice(0)) release()
    await Promise.all([first, ...second])
    await new Promise((resolve) => setImmediate(resolve))
    for (const release of releases.splice(0)) release()
    await third
    await gc.flushed()
    expect(started.flat().sort()).toEqual([0, 1, 2, 3])
  })
})
