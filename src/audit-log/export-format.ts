import type { Checkpoint } from './checkpoint'
import type { AuditKind, AuditRecord } from './entry'
import type { LoggedItem, RetentionMark, VerifyOptions } from './verify'

export const EXPORT_FORMAT = 'placement-audit-export v1'

export interface ExportHeader {
  format: typeof EXPORT_FORMAT
  exportedAt: string
  size: number
  headHash: string
  publicKey: string
  retention: RetentionMark[]
}

/**
 * Reads an audit export (NDJSON) into what verifyLog() takes, a page at a time, so an export of
 * any size verifies in flat memory. The first line is the header; a line whose entry is null is
 * a stored record the log does not cover.
 */
export function readExport(
  lines: AsyncIterable<string>,
  checkpoint: Checkpoint | null,
  trustedKey?: string,
): { header: Promise<ExportHeader>; options: Promise<VerifyOptions> } {
  const iterator = lines[Symbol.asyncIterator]()
  let stray: { kind: AuditKind; id: string } | null = null
  const header = (async () => {
    for (;;) {
      const { value, done } = await iterator.next()
      if (done) throw new Error('the export is empty')
      if (value.trim() === '') continue
      const parsed = JSON.parse(value) as ExportHeader
      if (parsed.format !== EXPORT_FORMAT) throw new Error(`not a ${EXPORT_FORMAT} file`)
      return parsed
    }
  })()
  async function* pages(): AsyncGenerator<LoggedItem[]> {
    let page: LoggedItem[] = []
    for (;;) {
      const { value, done } = await iterator.next()
      if (done) break
      if (value.trim() === '') continue
      const line = JSON.parse(value) as {
        entry: LoggedItem['entry'] | null
        record: AuditRecord | null
        kind?: AuditKind
        id?: string
      }
      if (line.entry === null) {
        stray ??= { kind: line.kind as AuditKind, id: String(line.id) }
        continue
      }
      page.push({ entry: line.entry, record: line.record })
      if (page.length >= 1000) {
        yield page
        page = []
      }
    }
    if (page.length > 0) yield page
  }
  const options = header.then((h) => ({
    items: pages(),
    checkpoint,
    trustedKey,
    retention: h.retention,
    unlogged: () => stray,
  }))
  return { header, options }
}
