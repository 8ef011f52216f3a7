import { stringify } from 'csv-stringify/sync'
import { timeSlice } from '../lib/time-slice'
import type { AuditPosition, AuditStore } from '../store/types'
import type { AssessmentService, AssessmentView, ListQuery } from './assessments'
import type { Language } from './localize'
import type { Principal } from './principal'

type Query = Omit<ListQuery, 'limit' | 'cursor'>

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

function row(view: AssessmentView, audit: AuditPosition | undefined): unknown[] {
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
 * at a time: memory stays flat whatever the history. Each walk gives the event loop a turn every
 * few milliseconds (time-slice.ts): on SQLite nothing else would wait for I/O.
 */
export function assessmentExport(assessments: AssessmentService, audit: AuditStore) {
  const auditOf = async (ids: string[]) => audit.positionsFor('assessment', ids)

  /** A line is the assessment's answer (assessment-answers.ts, as bytes) with its log position. */
  async function* ndjson(principal: Principal, query: Query, language: Language) {
    const slice = timeSlice()
    for await (const page of assessments.jsonPages(principal, query, language)) {
      const entries = await auditOf(page.map((p) => p.id))
      const parts: Buffer[] = []
      for (const { id, json } of page) {
        await slice.pause()
        const entry = entries.get(id)
        const position = entry ? JSON.stringify({ seq: entry.seq, hash: entry.hash }) : 'null'
        parts.push(json.subarray(0, json.length - 1), Buffer.from(`,"audit":${position}}\n`, 'utf8'))
      }
      yield Buffer.concat(parts)
    }
  }

  async function* csv(principal: Principal, query: Query) {
    // The header goes out with the first page, so that the first read (and a bad filter) comes
    // before anything is sent.
    let header = `\ufeff${stringify([COLUMNS as unknown as string[]])}`
    const slice = timeSlice()
    for await (const page of assessments.pages(principal, query)) {
      const entries = await auditOf(page.map((p) => p.view.id))
      const rows: unknown[][] = []
      for (const { view } of page) {
        await slice.pause()
        rows.push(row(view, entries.get(view.id)))
      }
      yield header + stringify(rows, { cast: { boolean: (b) => String(b) } })
      header = ''
    }
    if (header !== '') yield header
  }

  return {
    lines(
      principal: Principal,
      query: Query,
      format: ExportFormat,
      language: Language,
    ): AsyncGenerator<string | Buffer> {
      return format === 'csv' ? csv(principal, query) : ndjson(principal, query, language)
    },
  }
}
export type AssessmentExport = ReturnType<typeof assessmentExport>
