import { decodeCursor, encodeCursor } from '../../src/services/cursor'
import { pickLanguage } from '../../src/services/localize'

describe('Accept-Language', () => {
  test.each([
    [undefined, 'en'],
    ['', 'en'],
    ['ko', 'ko'],
    ['ko-KR', 'ko'],
    ['en-US,en;q=0.9', 'en'],
    ['fr-FR, ko;q=0.8, en;q=0.5', 'ko'],
    ['en;q=0.3, ko;q=0.7', 'ko'],
    ['ko;q=0, en', 'en'],
    ['de, fr', 'en'],
    ['*', 'en'],
    ['ko;q=abc', 'en'],
  ])('%p -> %s', (header, language) => {
    expect(pickLanguage(header)).toBe(language)
  })
})

describe('list cursors', () => {
  test('round trip', () => {
    const position = {
      createdAt: new Date('2026-11-26T12:00:00.123Z'),
      id: '01a2186f-fa5f-7983-b0b6-824d73f390e6',
    }
    expect(decodeCursor(encodeCursor(position))).toEqual(position)
  })

  test.each([
    ['not base64 json', 'zzz'],
    ['wrong shape', Buffer.from('{"a":1}').toString('base64url')],
    ['bad date', Buffer.from('["yesterday","x"]').toString('base64url')],
    ['non-canonical date', Buffer.from('["2026-11-26","x"]').toString('base64url')],
    ['empty id', Buffer.from('["2026-11-26T12:00:00.000Z",""]').toString('base64url')],
    ['number id', Buffer.from('["2026-11-26T12:00:00.000Z",5]').toString('base64url')],
  ])('%s is refused', (_label, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(/cursor/)
  })
})
