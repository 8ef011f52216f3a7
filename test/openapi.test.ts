import { readFileSync } from 'node:fs'
import path from 'node:path'
import { generateOpenApi } from '../scripts/openapi'

describe('openapi.yaml', () => {
  test('matches the route schemas (run `npm run openapi` after changing a route)', async () => {
    const committed = readFileSync(path.resolve(__dirname, '..', 'openapi.yaml'), 'utf8')
    expect(await generateOpenApi()).toBe(committed)
  })

  test('every operation has an id, a tag, a summary and documented problem responses', async () => {
    const spec = JSON.parse(JSON.stringify((await import('yaml')).parse(await generateOpenApi())))
    for (const [route, methods] of Object.entries<Record<string, Record<string, unknown>>>(spec.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        expect({
          route,
          method,
          operationId: typeof op.operationId,
          tags: Array.isArray(op.tags),
          summary: typeof op.summary,
        }).toEqual({
          route,
          method,
          operationId: 'string',
          tags: true,
          summary: 'string',
        })
        if (route.startsWith('/v1/')) {
          const responses = op.responses as Record<string, { content?: Record<string, unknown> }>
          expect(responses['401']?.content?.['application/problem+json']).toBeDefined()
        }
      }
    }
  })
})
