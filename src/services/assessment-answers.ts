import { localizeJsonText } from '../lib/localized-json'
import type { Override } from '../schemas/decision'
import { type Language, localizeInPlace } from './localize'

/** What reading adds to a stored document: its overrides, and whether its policy is still active. */
export interface ReadExtras {
  stale: boolean
  overrides: Override[]
  finalPlacement: string
}

/**
 * A stored assessment as the JSON of its answer, in one language: the stored document with its
 * texts localized as text (src/lib/localized-json.ts) and what reading adds, without parsing the
 * document and serializing it again (a tenth of the cost; BENCHMARKS.md). The members are the
 * ones the object path gives, `{ ...document, ...extras }` localized; assessment-answers.test.ts
 * holds the two equal and the answer valid against the Assessment schema. A document the text
 * path declines is parsed and localized as objects.
 */
export function assessmentJson(document: string, extras: ReadExtras, language: Language): string {
  const localized = localizeJsonText(document, language)
  if (localized === null || localized.length < 3 || !localized.endsWith('}')) {
    return JSON.stringify(localizeInPlace({ ...JSON.parse(document), ...extras }, language))
  }
  return `${localized.slice(0, -1)},"stale":${extras.stale},"overrides":${JSON.stringify(extras.overrides)},"finalPlacement":${JSON.stringify(extras.finalPlacement)}}`
}

/** A list page's answer around assessments already written as JSON. */
export function pageJson(items: string[], nextCursor: string | null): string {
  return `{"items":[${items.join(',')}],"nextCursor":${JSON.stringify(nextCursor)}}`
}
