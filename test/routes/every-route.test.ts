import { bearer, createTestApp, type TestApp } from '../helpers/app'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => t.close())

interface Operation {
  method: string
  path: string
  requestBody?: unknown
  responses: Record<string, { content?: Record<string, unknown> }>
}

/** Every operation of the served OpenAPI document, with `{id}` filled in. */
function operations(): Operation[] {
  const spec = t.app.swagger() as unknown as {
    paths: Record<string, Record<string, Omit<Operation, 'method' | 'path'>>>
  }
  return Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      ...op,
      method,
      path: path.replace(/\{\w+\}/g, 'some-id'),
    })),
  )
}

const call = (op: Operation) =>
  (t.http() as unknown as Record<string, (path: string) => ReturnType<ReturnType<TestApp['http']>['get']>>)[
    op.method
  ]?.(op.path) as ReturnType<ReturnType<TestApp['http']>['get']>

describe('every route, from the OpenAPI document', () => {
  test('there are as many operations as the service offers', () => {
    expect(operations().filter((op) => op.path.startsWith('/v1/'))).toHaveLength(21)
  })

  test('every /v1 operation answers 401 problem+json without a key and documents it', async () => {
    for (const op of operations().filter((o) => o.path.startsWith('/v1/'))) {
      const res = await call(op).send(op.requestBody ? {} : undefined)
      expect({ route: `${op.method} ${op.path}`, status: res.status }).toEqual({
        route: `${op.method} ${op.path}`,
        status: 401,
      })
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(op.responses['401']?.content?.['application/problem+json']).toBeDefined()
    }
  })

  test('every operation with a JSON body answers 415 to text and 413 to more than 1 MiB', async () => {
    const withBody = operations().filter((o) => o.requestBody)
    expect(withBody.length).toBeGreaterThanOrEqual(5)
    for (const op of withBody) {
      const route = `${op.method} ${op.path}`
      const text = await call(op).set(bearer(t.keys.admin)).set('Content-Type', 'text/plain').send('hello')
      expect({ route, status: text.status }).toEqual({ route, status: 415 })
      const big = await call(op)
        .set(bearer(t.keys.admin))
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ padding: 'x'.repeat(1024 * 1024) }))
      expect({ route, status: big.status }).toEqual({ route, status: 413 })
    }
  })

  test('every documented error status of every operation is a problem+json response', () => {
    for (const op of operations()) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) >= 400) {
          expect({
            op: `${op.method} ${op.path}`,
            status,
            problem: Boolean(response.content?.['application/problem+json']),
          }).toEqual({
            op: `${op.method} ${op.path}`,
            status,
            problem: true,
          })
        }
      }
    }
  })
})
