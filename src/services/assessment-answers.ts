import { localizeJson, localizeText } from '../lib/localized-json'
import type { Decision, Override } from '../schemas/decision'
import { type Language, localizeInPlace } from './localize'

/** What reading adds to a stored document: its overrides, and whether its policy is still active. */
export interface ReadExtras {
  stale: boolean
  overrides: Override[]
  finalPlacement: string
}

/**
 * A stored assessment as the JSON of its answer (UTF-8 bytes), in one language: the stored
 * document with its texts localized as bytes (src/lib/localized-json.ts) and what reading adds,
 * without decoding the document, parsing it and serializing it again (BENCHMARKS.md). The
 * members are the ones the object path gives, `{ ...document, ...extras }` localized;
 * assessment-answers.test.ts holds the two equal and the answer valid against the Assessment
 * schema. A document the byte path declines is parsed and localized as objects.
 */
export function assessmentJson(document: Buffer, extras: ReadExtras, language: Language): Buffer {
  const localized = localizeJson(document, language)
  if (localized === null || localized.length < 3 || localized[localized.length - 1] !== CLOSE_BRACE) {
    return Buffer.from(parsedAnswer(document.toString('utf8'), extras, language), 'utf8')
  }
  return Buffer.concat([localized.subarray(0, localized.length - 1), Buffer.from(tail(extras), 'utf8')])
}

/**
 * assessmentJson() of a document still held as the string it was stored as (a stored assessment
 * answered right after its commit): localized as text, with no round trip through bytes.
 */
export function assessmentJsonText(document: string, extras: ReadExtras, language: Language): string {
  const localized = localizeText(document, language)
  if (localized === null || localized.length < 3 || !localized.endsWith('}')) {
    return parsedAnswer(document, extras, language)
  }
  return `${localized.slice(0, -1)}${tail(extras)}`
}

/**
 * A what-if decision as the JSON of its answer, in one language. JSON.stringify rather than the
 * route's compiled serializer (fast-json-stringify), which wrote each member through code of its
 * own, checking its type: the engine builds exactly the Evaluation schema's members, and
 * assessment-answers.test.ts holds this text to the same value as that serializer's, valid as
 * Evaluation, for decisions of every built-in policy in both languages. 13 % more evaluations a
 * second side by side (BENCHMARKS.md, the ninth session).
 */
export function evaluationJson(decision: Decision, language: Language): string {
  return JSON.stringify(localizeInPlace(decision, language))
}

/** What reading adds, as the members closing the answer's object. */
const tail = (extras: ReadExtras) =>
  `,"stale":${extras.stale},"overrides":${JSON.stringify(extras.overrides)},"finalPlacement":${JSON.stringify(extras.finalPlacement)}}`

/** The object path, for a document the text path declines. */
function parsedAnswer(document: string, extras: ReadExtras, language: Language): string {
  const view = { ...JSON.parse(document), ...extras }
  return JSON.stringify(localizeInPlace(view, language))
}

const CLOSE_BRACE = 125
const COMMA = Buffer.from(',')

/** A list page's answer around assessments already written as JSON. */
export function pageJson(items: Buffer[], nextCursor: string | null): Buffer {
  const parts: Buffer[] = [Buffer.from('{"items":[')]
  items.forEach((item, i) => {
    if (i > 0) parts.push(COMMA)
    parts.push(item)
  })
  parts.push(Buffer.from(`],"nextCursor":${JSON.stringify(nextCursor)}}`, 'utf8'))
  return Buffer.concat(parts)
}
