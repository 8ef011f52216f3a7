/**
 * A portal's use of the service through a client generated from openapi.yaml:
 *
 *   npx openapi-typescript openapi.yaml -o examples/portal/placement.d.ts
 *   PLACEMENT_URL=http://127.0.0.1:3000 PLACEMENT_KEY=<submitter key> npx tsx examples/portal/portal-client.ts
 *
 * Everything below is typed from the document alone: paths, bodies, answers and problems.
 * The test suite generates the types, compiles this file with `tsc --strict` and runs it.
 */
import createClient from 'openapi-fetch'
import type { components, paths } from './placement'

type Problem = components['schemas']['Problem']

const baseUrl = process.env.PLACEMENT_URL ?? 'http://127.0.0.1:3000'
const key = process.env.PLACEMENT_KEY
if (!key) throw new Error('set PLACEMENT_KEY to a submitter key')

const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${key}` } })
const say = (step: string, value: unknown) => console.log(JSON.stringify({ step, value }))

async function main() {
  // 1. Create one assessment, retry-safe.
  const created = await client.POST('/v1/assessments', {
    params: { header: { 'idempotency-key': `portal-${Date.now()}` } },
    body: {
      application: { name: 'Population census system', externalRef: 'PROC-2026-0042' },
      characteristics: {
        businessCriticality: 'medium',
        dataClassification: 'internal',
        loadVariability: 'extreme',
        architecture: 'monolith',
        stateful: false,
      },
    },
  })
  if (!created.data) throw new Error(`create failed: ${created.error?.detail}`)
  const id: string = created.data.id
  say('created', { id, recommendation: created.data.recommendation, interim: created.data.interim ?? null })

  // 2. Read it back in Korean.
  const read = await client.GET('/v1/assessments/{id}', {
    params: { path: { id }, header: { 'accept-language': 'ko' } },
  })
  say('read-ko', {
    rationale: read.data?.rationale[0]?.message,
    language: read.response.headers.get('content-language'),
  })

  // 3. List the newest, filtered.
  const list = await client.GET('/v1/assessments', { params: { query: { application: 'census' } } })
  say('listed', { count: list.data?.items.length ?? 0, first: list.data?.items[0]?.id ?? null })

  // 4. A batch: one good item, one bad one, each answered on its own.
  const batch = await client.POST('/v1/assessments/batch', {
    body: {
      items: [
        {
          application: { name: 'Agency homepage' },
          characteristics: {
            businessCriticality: 'medium',
            dataClassification: 'public',
            loadVariability: 'extreme',
            architecture: 'microservices',
          },
        },
        {
          application: { name: 'Broken' },
          characteristics: {
            businessCriticality: 'medium',
            dataClassification: 'public',
            loadVariability: 'extreme',
            architecture: 'microservices',
            peakToAverageRatio: 0,
          },
        },
      ],
    },
  })
  say('batch', {
    statuses: batch.data?.results.map((r) => r.status),
    byRecommendation: batch.data?.summary.byRecommendation,
  })

  // 5. Export as CSV.
  const exported = await client.GET('/v1/assessments/export', {
    params: { query: { format: 'csv', application: 'census' } },
    parseAs: 'text',
  })
  say('export', { lines: (exported.data ?? '').trimEnd().split('\n').length })

  // 6. A typed problem: the client can switch on its type.
  const missing = await client.GET('/v1/assessments/{id}', { params: { path: { id: 'no-such-assessment' } } })
  const problem: Problem | undefined = missing.error
  say('problem', { status: missing.response.status, type: problem?.type })
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
