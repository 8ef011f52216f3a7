import { timeSlice } from '../../src/lib/time-slice'

/** Whether a callback queued with setImmediate before `step` ran before `step` finished. */
async function turnedDuring(step: () => Promise<void>): Promise<boolean> {
  let ran = false
  const queued = setImmediate(() => {
    ran = true
  })
  await step()
  clearImmediate(queued)
  return ran
}

describe('timeSlice', () => {
  test('within its budget a pause returns without a turn of the event loop; past it, it waits one', async () => {
    let clock = 0
    const slice = timeSlice(10, () => clock)
    clock = 9
    expect(await turnedDuring(() => slice.pause())).toBe(false)
    clock = 10
    expect(await turnedDuring(() => slice.pause())).toBe(true)
    // The budget starts again from the turn.
    clock = 19
    expect(await turnedDuring(() => slice.pause())).toBe(false)
    clock = 20
    expect(await turnedDuring(() => slice.pause())).toBe(true)
  })

  test('a walk of many quick items turns the loop once per budget, not once per item', async () => {
    let clock = 0
    const slice = timeSlice(10, () => clock)
    let turns = 0
    for (let i = 0; i < 1000; i++) {
      clock += 0.1
      if (await turnedDuring(() => slice.pause())) turns++
    }
    // 100 ms of work in 10 ms slices (floating-point sums may shift one boundary).
    expect(turns).toBeGreaterThanOrEqual(9)
    expect(turns).toBeLessThanOrEqual(10)
  })
})
