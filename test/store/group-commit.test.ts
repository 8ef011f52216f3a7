import { GroupCommit } from '../../src/store/group-commit'

/** A writer that records what it was asked to write, and can be made to fail. */
function recorder(failWhen: (items: number[]) => boolean = () => false) {
  const batches: number[][] = []
  const committed: number[] = []
  const write = async (items: number[]) => {
    await new Promise((resolve) => setImmediate(resolve))
    batches.push(items)
    if (failWhen(items)) throw new Error(`rejected ${items.join(',')}`)
    committed.push(...items)
  }
  const gc = new GroupCommit<number>({ writeMany: write, writeOne: (item) => write([item]), maxBatch: 50 })
  return { gc, batches, committed }
}

describe('group commit', () => {
  test('items arriving while a write is in flight are written together, in order', async () => {
    const { gc, batches, committed } = recorder()
    await Promise.all(Array.from({ length: 10 }, (_, i) => gc.submit(i)))
    expect(batches).toEqual([[0], [1, 2, 3, 4, 5, 6, 7, 8, 9]])
    expect(committed).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
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
    expect(batches.map((b) => b.length)).toEqual([1, 50, 50, 20])
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
})
