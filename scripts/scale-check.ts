import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { decide } from '../src/domain/engine'
import { PAPER_POLICY_V2 } from '../src/domain/policies/paper-v2'
import { canonicalJson } from '../src/lib/canonical-json'
import { uuidv7 } from '../src/lib/crypto'
import { assessmentExport } from '../src/services/assessment-export'
import { assessmentService } from '../src/services/assessments'
import { policyCatalog } from '../src/services/policies'
import { policyImpact } from '../src/services/policy-impact'
import { openStore } from '../src/store/open-store'
import type { AssessmentRecord } from '../src/store/types'
import { randomDescriptor, rng } from '../test/helpers/generate'

/**
 * How export and policy impact behave on a long history (`npm run scale-check -- 100000`): seeds
 * that many assessments into a throw-away SQLite database (or DATABASE_URL, if it names a
 * PostgreSQL database to fill), then times a full NDJSON and CSV export and an impact run, and
 * reports the process's peak RSS while each runs. Not part of `npm test`: it takes minutes.
 */
async function main() {
  const count = Number(process.argv[2] ?? 100_000)
  const dir = mkdtempSync(path.join(tmpdir(), 'placement-scale-'))
  const url = process.env.DATABASE_URL?.startsWith('postgres')
    ? process.env.DATABASE_URL
    : `file:${path.join(dir, 'scale.db')}`
  const store = await openStore({ databaseUrl: url, migrate: true })
  const principal = { keyId: 'scale', org: 'NIRS', role: 'auditor' as const }
  try {
    const random = rng(1)
    const started = Date.now()
    for (let done = 0; done < count; done += 500) {
      const records: AssessmentRecord[] = []
      for (let i = done; i < Math.min(count, done + 500); i++) {
        const d = randomDescriptor(random, i)
        const decision = decide(d, PAPER_POLICY_V2)
        const createdAt = new Date(Date.UTC(2026, 0, 1) + i * 1000)
        const id = uuidv7(createdAt.getTime())
        const doc = { id, createdAt: createdAt.toISOString(), org: 'NIRS', ...decision, supersedes: null }
        records.push({
          id,
          createdAt,
          org: 'NIRS',
          keyId: 'scale',
          applicationName: d.application.name,
          recommendation: decision.recommendation,
          policyId: decision.policy.id,
          policyVersion: decision.policy.version,
          document: canonicalJson(doc),
          requestHash: String(i),
          idempotencyKey: null,
          supersedes: null,
        })
      }
      await store.assessments.insertMany(records)
    }
    console.log(`seeded ${count} assessments in ${((Date.now() - started) / 1000).toFixed(1)} s`)
    const policies = policyCatalog(store.policies)
    const assessments = assessmentService({ assessments: store.assessments, policies })
    const measure = async (label: string, work: () => Promise<string>) => {
      global.gc?.()
      let peak = process.memoryUsage().rss
      const timer = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss)
      }, 50)
      const t0 = Date.now()
      const detail = await work()
      clearInterval(timer)
      console.log(
        `${label}: ${((Date.now() - t0) / 1000).toFixed(1)} s, peak RSS ${(peak / 2 ** 20).toFixed(0)} MB, ${detail}`,
      )
    }
    const exporter = assessmentExport(assessments, store.audit)
    for (const format of ['ndjson', 'csv'] as const) {
      await measure(`export ${format}`, async () => {
        let bytes = 0
        for await (const chunk of exporter.lines(principal, {}, format, 'en'))
          bytes += Buffer.byteLength(chunk)
        return `${(bytes / 2 ** 20).toFixed(0)} MB written`
      })
    }
    await measure('impact of nirs-paper-v1', async () => {
      const r = await policyImpact(assessments, policies).of(principal, 'nirs-paper-v1', {})
      return `${r.checked} checked, ${r.changed} would change`
    })
  } finally {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
