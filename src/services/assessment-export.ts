import { stringify } from 'csv-stringify/sync'
import { timeSlice } from '../lib/time-slice'
import type { AuditStore } from '../store/types'
import type { AssessmentService, AssessmentView, ListQuery } from './assessments'
import { type Language, localizeInPlace } from './localize'
import type { Principal } from './principal'

export const EXPORT_FORMATS = ['ndjson', 'csv'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

const COLUMNS = [
  'id',
  'createdAt',
  'org',
  'application',
  'externalRef',
  'recommendation',
  'finalPlacement',
  'overridden',
  'target',
  'interim',
  'effort',
  'outcome',
  'confidence',
  'margin',
  'scores',
  'policyId',
  'policyVersion',
  'stale',
  'supersedes',
  'auditSeq',
  'auditHash',
] as const

/**
 * A spreadsheet treats a cell that starts with = + - @ (or a tab or carriage return) as a formula;
 * an application name such as "=HYPERLINK(…)" must stay text. A leading apostrophe makes it text
 * in Excel and LibreOffice alike (OWASP's advice on CSV injection).
 */
export function neutralise(cell: unknown): unknown {
  return typeof cell === 'string' && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell
}

function row(view: AssessmentView, audit: { seq: number; hash: string } | undefined): unknown[] {
  const values: Record<(typeof COLUMNS)[number], unknown> = {
    id: view.id,
    createdAt: view.createdAt,
    org: view.org,
    application: view.application.name,
    externalRef: view.application.externalRef ?? '',
    recommendation: view.recommendation,
    finalPlacement: view.finalPlacement,
    overridden: view.overrides.length > 0,
    target: view.target ?? '',
    interim: view.interim ?? '',
    effort: view.effort ?? '',
    outcome: view.outcome ?? '',
    confidence: view.confidence,
    margin: view.margin ?? '',
    scores: Object.entries(view.scores)
      .map(([platform, score]) => `${platform}=${score}`)
      .join('; '),
    policyId: view.policy.id,
    policyVersion: view.policy.version,
    stale: view.stale,
    supersedes: view.supersedes ?? '',
    auditSeq: audit?.seq ?? '',
    auditHash: audit?.hash ?? '',
  }
  return COLUMNS.map((c) => neutralise(values[c]))
}

/**
 * Stored assessments as NDJSON (each the full assessment, with its audit-log position) or CSV (one
 * row each, UTF-8 with a byte-order mark so that spreadsheets read Korean right), streamed a page
 * at a time: memory stays flat whatever the history.
 */
export function assessmentExport(assessments: AssessmentService, audit: AuditStore) {
  return {
    async *lines(
      principal: Principal,
      query: Omit<ListQuery, 'limit' | 'cursor'>,
      format: ExportFormat,
      language: Language,
    ): AsyncGenerator<string> {
      // The header goes out with the first page, so that the first read (and a bad filter) comes
      // before anything is sent.
      let header = format === 'csv' ? `\ufeff${stringify([COLUMNS as unknown as string[]])}` : ''
      const slice = timeSlice()
      for await (const page of assessments.pages(principal, query)) {
        const entries = await audit.entriesFor(
          'assessment',
          page.map((p) => p.view.id),
        )
        let chunk = header
        header = ''
        if (format === 'csv') {
          const rows: unknown[][] = []
          for (const { view } of page) {
            await slice.pause()
            rows.push(row(view, entries.get(view.id)))
          }
          chunk += stringify(rows, { cast: { boolean: (b) => String(b) } })
        } else {
          for (const { view } of page) {
            await slice.pause()
            const entry = entries.get(view.id)
            const line = {
              ...localizeInPlace(view, language),
              audit: entry ? { seq: entry.seq, hash: entry.hash } : null,
            }
            chunk += `${JSON.stringify(line)}\n`
          }
        }
        yield chunk
      }
      if (header !== '') yield header
    },
  }
}
export type AssessmentExport = ReturnType<typeof assessmentExport>
