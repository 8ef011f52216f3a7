import { guardAvailability, isUnavailable, StoreUnavailable } from '../../src/store/availability'
import { DuplicateIdempotencyKey } from '../../src/store/types'

const err = (message: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), extra)

describe('which store failures mean "the database is not answering"', () => {
  test.each([
    ['pg connection loss', err('Connection terminated unexpectedly'), true],
    ['pg client timeout', err('Query read timeout'), true],
    ['pg pool connect timeout', err('timeout exceeded when trying to connect'), true],
    ['refused socket', err('connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED' }), true],
    ['statement timeout', err('canceling statement due to statement timeout', { code: '57014' }), true],
    ['admin shutdown', err('terminating connection due to administrator command', { code: '57P01' }), true],
    ['too many connections', err('sorry, too many clients already', { code: '53300' }), true],
    ['Prisma cannot reach', err('Can’t reach database server', { code: 'P1001' }), true],
    ['SQLite busy', err('database is locked', { code: 'SQLITE_BUSY' }), true],
    ['wrapped cause', err('query failed', { cause: err('x', { code: 'ECONNRESET' }) }), true],
    ['unique violation', err('Unique constraint failed', { code: 'P2002' }), false],
    ['syntax error', err('syntax error at or near "SELEC"', { code: '42601' }), false],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')"), false],
    ['not an error', 'boom', false],
  ])('%s', (_label, error, expected) => {
    expect(isUnavailable(error)).toBe(expected)
  })

  test('a guarded repository turns availability failures into StoreUnavailable and passes others on', async () => {
    const repo = guardAvailability({
      lost: async () => {
        throw err('Connection terminated unexpectedly')
      },
      duplicate: async () => {
        throw new DuplicateIdempotencyKey()
      },
      fine: async (x: number) => x * 2,
    })
    await expect(repo.lost()).rejects.toBeInstanceOf(StoreUnavailable)
    await expect(repo.duplicate()).rejects.toBeInstanceOf(DuplicateIdempotencyKey)
    await expect(repo.fine(21)).resolves.toBe(42)
  })
})
