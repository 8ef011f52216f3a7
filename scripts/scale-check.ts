import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { assessmentExport } from '../src/services/assessment-export'
import { assessmentService } from '../src/services/assessments'
import { policyCatalog } from '../src/services/policies'
import { policyImpact } from '../src/services/policy-impact'
import { openStore } from '../src/store/open-store'
import { seedAssessments } from './lib/seed'

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
    const seconds = await seedAssessments(store, count)
    console.log(`seeded ${count} assessments in ${seconds.toFixed(1)} s`)
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
