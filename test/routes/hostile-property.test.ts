import fc from 'fast-check'
import type { Response } from 'supertest'
import { ledger, publicPortal } from '../fixtures/descriptors'
import { tinyPolicy } from '../fixtures/policies'
import { createTestApp, type TestApp } from '../helpers/app'

/**
 * Hostile input as a property: fast-check drives every route of the served OpenAPI document
 * with generated and mutated bodies, headers, query strings and path ids. Whatever it sends,
 * the answer is never a 5xx, always arrives, is problem+json whenever it is an error, and an
 * error never leaves anything behind in the audit log (every stored record is logged there).
 */

let t: TestApp
let existing: string
let keys: string[]
beforeAll(async () => {
  t = await createTestApp()
  existing = (
    await t.http().post('/v1/assessments').set('Authorization', `Bearer ${t.keys.submitterA}`).send(ledger())
  ).body.id
  keys = [t.keys.submitterA, t.keys.submitterB, t.keys.auditor, t.keys.admin]
})
afterAll(async () => t.close())

interface Operation {
  method: 'get' | 'post'
  path: string
}

function operations(): Operation[] {
  const spec = t.app.swagger() as unknown as { paths: Record<string, Record<string, unknown>> }
  return Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => ({ method: method as Operation['method'], path })),
  )
}

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf']
const nasty = fc.constantFrom(
  '\u0000',
  '\ud800',
  'a\udfffb',
  '\u202e',
  '%',
  '%00',
  '%ZZ',
  '../../etc/passwd',
  "'; DROP TABLE assessments; --",
  '한국어',
  '😀',
  ...PROTOTYPE_KEYS,
)
const text = fc.oneof(fc.string({ maxLength: 40 }), nasty, fc.string({ unit: 'grapheme', maxLength: 20 }))
const key = fc.oneof(text, fc.constantFrom(...PROTOTYPE_KEYS))

/** JSON values with prototype keys, odd text, extremes, and some deep nesting. */
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(key, tie('value'), { maxKeys: 5 }),
  ),
})).value

const deep = fc.integer({ min: 50, max: 5000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`)
const hugeArray = fc
  .integer({ min: 1000, max: 50000 })
  .map((n) => JSON.stringify({ items: Array(n).fill(1) }))
const manyKeys = fc
  .integer({ min: 100, max: 20000 })
  .map((n) => JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]))))

/** A valid body with one value replaced somewhere, so that validation gets deep. */
const mutatedValid = fc
  .tuple(
    fc.constantFrom(
      publicPortal() as unknown,
      ledger() as unknown,
      { items: [publicPortal(), ledger()] },
      tinyPolicy('fuzz'),
    ),
    fc.array(fc.tuple(fc.nat(), key, jsonValue), { minLength: 1, maxLength: 3 }),
  )
  .map(([base, edits]) => {
    const copy = structuredClone(base) as Record<string, unknown>
    for (const [pick, name, value] of edits) {
      // Walk down to a random object and set a (possibly inherited-looking) key on it.
      let node: Record<string, unknown> = copy
      for (let depth = 0; depth < 3; depth++) {
        const children = Object.values(node).filter((v) => typeof v === 'object' && v !== null)
        if (children.length === 0) break
        node = children[pick % children.length] as Record<string, unknown>
      }
      Object.defineProperty(node, name, { value, enumerable: true, configurable: true, writable: true })
    }
    return JSON.stringify(copy)
  })

const body = fc.oneof(
  mutatedValid,
  jsonValue.map((v) => JSON.stringify(v) ?? 'null'),
  deep,
  hugeArray,
  manyKeys,
  fc.constant('{"application": {"name": "\\ud800"}}'),
  fc.constant('{"a": 1,'),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
  // Invalid UTF-8 inside an otherwise valid JSON string.
  fc.constant(
    Buffer.concat([
      Buffer.from('{"application":{"name":"'),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('"}}'),
    ]),
  ),
)

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/problem+json',
  '',
)

const query = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      'limit',
      'cursor',
      'org',
      'application',
      'from',
      'to',
      'format',
      'recommendation',
      'overridden',
    ),
    fc.constantFrom('__proto__[x]', 'constructor', 'limit[]'),
    fc.string({ maxLength: 8 }),
  ),
  fc.oneof(text, fc.constantFrom('-1', '0', '1e9', '2026-13-45', 'true', 'csv', 'xml')),
  { maxKeys: 4 },
)

/** A path id: the existing assessment's, or hostile text, percent-encoded or (when printable) raw. */
const pathId = fc.oneof(
  fc.constant({ existing: true, text: '', raw: false }),
  fc.record({ existing: fc.constant(false), text, raw: fc.boolean() }),
)

const request = fc.record({
  operation: fc.nat(),
  id: pathId,
  who: fc.oneof(fc.nat({ max: 3 }), fc.constantFrom(-1, -2)),
  body: fc.option(body, { nil: undefined }),
  contentType,
  query,
  idempotencyKey: fc.option(text, { nil: undefined }),
  language: fc.option(text, { nil: undefined }),
  requestId: fc.option(text, { nil: undefined }),
  authorization: fc.option(fc.oneof(text, fc.constantFrom('Bearer', 'Bearer  ', 'Basic abc', 'bearer x y')), {
    nil: undefined,
  }),
})

/** Percent-encoding; an unpaired surrogate becomes the bytes of one (invalid UTF-8), as an attacker would send. */
const percentEncode = (value: string) =>
  value
    .split(/([\ud800-\udfff])/)
    .map((part) => (/^[\ud800-\udfff]$/.test(part) ? '%ED%A0%80' : encodeURIComponent(part)))
    .join('')

/** Header values may only hold visible Latin-1; what Node's client refuses is not a server test. */
const headerSafe = (value: string) => value.replace(/[^\x20-\x7e]/g, '?')

async function logSize(): Promise<number> {
  return (await t.app.audit.status()).size
}

describe('hostile input, every route (fast-check)', () => {
  test('never a 5xx or a hang; errors are problems; an error stores nothing', async () => {
    const ops = operations()
    expect(ops.length).toBeGreaterThan(20)
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const op = ops[r.operation % ops.length] as Operation
        const id = r.id.existing
          ? existing
          : r.id.raw && /^[\x21-\x7e]+$/.test(r.id.text) && !/[?#/]/.test(r.id.text)
            ? r.id.text
            : percentEncode(r.id.text) || 'x'
        const path = op.path.replace(/\{\w+\}/g, () => id)
        const before = await logSize()
        let call = t.http()[op.method](path).query(r.query).timeout(10000)
        const who = r.who >= 0 ? keys[r.who] : r.who === -1 ? 'not-a-key' : undefined
        if (who) call = call.set('Authorization', `Bearer ${who}`)
        else if (r.authorization !== undefined) call = call.set('Authorization', headerSafe(r.authorization))
        if (r.requestId !== undefined) call = call.set('X-Request-Id', headerSafe(r.requestId))
        if (r.idempotencyKey !== undefined) call = call.set('Idempotency-Key', headerSafe(r.idempotencyKey))
        if (r.language !== undefined) call = call.set('Accept-Language', headerSafe(r.language))
        if (r.body !== undefined) {
          if (r.contentType) call = call.set('Content-Type', r.contentType)
          call = call.send(r.body)
        }
        const res: Response = await call
        const where = `${op.method.toUpperCase()} ${path} -> ${res.status}`
        expect({ where, server: res.status >= 500 }).toEqual({ where, server: false })
        if (res.status >= 400) {
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
          expect(JSON.parse(res.text).status).toBe(res.status)
          expect(await logSize()).toBe(before)
        }
      }),
      { numRuns: 400, seed: 20261127 },
    )
  }, 120000)

  test('validating a policy reads only its own declared names, never inherited ones', async () => {
    // Every Object.prototype name as a criterion, a platform and a rating key: each is refused
    // by name, and nothing reaches the engine.
    for (const name of Object.getOwnPropertyNames(Object.prototype)) {
      const policy = JSON.stringify(tinyPolicy(`proto-${name.replace(/[^a-z]/gi, '')}`))
      for (const renamed of ['"safety"', '"vm"']) {
        const res = await t
          .http()
          .post('/v1/policies')
          .set('Authorization', `Bearer ${t.keys.admin}`)
          .set('Content-Type', 'application/json')
          .send(policy.replaceAll(renamed, JSON.stringify(name)))
        expect({ name, renamed, status: res.status }).toEqual({ name, renamed, status: 400 })
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
      }
    }
  })
})
