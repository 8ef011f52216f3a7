import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'
import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import fc from 'fast-check'
import { changesBetween } from '../../src/domain/changes'
import { decide } from '../../src/domain/engine'
import { canonicalJson } from '../../src/lib/canonical-json'
import { localizeJson, localizeText } from '../../src/lib/localized-json'
import { SHARED_SCHEMAS } from '../../src/schemas'
import { OVERRIDE_REASON_CODES, type Override } from '../../src/schemas/decision'
import {
  assessmentJson,
  assessmentJsonText,
  evaluationJson,
  pageJson,
  type ReadExtras,
} from '../../src/services/assessment-answers'
import { type Language, localizeInPlace } from '../../src/services/localize'
import { BUILT_IN_POLICIES } from '../../src/services/policies'
import { randomDescriptor, rng } from '../helpers/generate'
import { jsonWithTexts } from '../helpers/near-texts'

/**
 * Reads answer with the stored document localized as text (assessment-answers.ts,
 * localized-json.ts) instead of parsing, localizing and serializing it. They must say what the
 * object path says, member for member, and what the contract's Assessment schema allows.
 */
const byObjects = (document: string, extras: ReadExtras | object, language: Language) =>
  JSON.parse(JSON.stringify(localizeInPlace({ ...JSON.parse(document), ...extras }, language)))
const bytes = (text: string) => Buffer.from(text, 'utf8')
const parsed = (json: Buffer) => JSON.parse(json.toString('utf8'))
/** localizeJson on a text's bytes, as text (null when it declines). */
const localizeBytes = (text: string, language: Language) =>
  localizeJson(bytes(text), language)?.toString('utf8') ?? null

const ajv = new Ajv({ allErrors: true, strict: false })
addFormats(ajv)
for (const schema of SHARED_SCHEMAS) ajv.addSchema(schema)
const validAssessment = ajv.getSchema('Assessment')
if (!validAssessment) throw new Error('no Assessment schema')

/** Stored documents as the service writes them: every built-in policy, some re-evaluations. */
function storedDocuments(count: number, seed: number): string[] {
  const random = rng(seed)
  const documents: string[] = []
  for (let i = 0; i < count; i++) {
    const policy = BUILT_IN_POLICIES[i % BUILT_IN_POLICIES.length] as (typeof BUILT_IN_POLICIES)[number]
    const decision = decide(randomDescriptor(random, i), policy)
    const earlier = i % 3 === 0 ? decide(randomDescriptor(random, i + 1), policy) : undefined
    documents.push(
      canonicalJson({
        id: `0193a2b4-0000-7000-8000-${String(i).padStart(12, '0')}`,
        createdAt: new Date(Date.UTC(2026, 10, 27, 12, 0, i % 60)).toISOString(),
        org: `org-${i % 4}`,
        ...decision,
        supersedes: earlier ? '0193a2b4-0000-7000-8000-ffffffffffff' : null,
        ...(earlier ? { changes: changesBetween(earlier, decision) } : {}),
      }),
    )
  }
  return documents
}

function overrides(count: number, recommendation: string): Override[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `override-${i}`,
    assessmentId: 'a',
    org: 'org-0',
    recommendation,
    placement: i % 2 ? 'container' : 'hypervisor',
    reasonCode: OVERRIDE_REASON_CODES[i % OVERRIDE_REASON_CODES.length] as Override['reasonCode'],
    reason: `Because "${i}" \\ 사유 ${'\u2028'}`,
    keyId: 'key-1',
    createdAt: new Date(Date.UTC(2026, 10, 27, 13, i)).toISOString(),
  }))
}

describe('stored assessments answered as text', () => {
  const documents = storedDocuments(120, 20261127)

  it.each(['en', 'ko'] as const)('say what the object path says, valid as Assessment (%s)', (language) => {
    documents.forEach((document, i) => {
      const { recommendation } = JSON.parse(document) as { recommendation: string }
      const extras: ReadExtras = {
        stale: i % 2 === 0,
        overrides: overrides(i % 3, recommendation),
        finalPlacement: i % 3 ? 'container' : recommendation,
      }
      const answer = parsed(assessmentJson(bytes(document), extras, language))
      expect(answer).toEqual(byObjects(document, extras, language))
      // A create answers from the document as the string it stored: the same bytes.
      expect(assessmentJsonText(document, extras, language)).toBe(
        assessmentJson(bytes(document), extras, language).toString('utf8'),
      )
      expect(validAssessment(answer)).toBe(true)
      expect(JSON.stringify(answer)).not.toMatch(/"ko":|"en":/)
    })
  })

  it('a page is its items and the cursor', () => {
    const items = documents
      .slice(0, 3)
      .map((d) =>
        assessmentJson(bytes(d), { stale: false, overrides: [], finalPlacement: 'container' }, 'ko'),
      )
    expect(parsed(pageJson(items, 'next'))).toEqual({ items: items.map(parsed), nextCursor: 'next' })
    expect(parsed(pageJson([], null))).toEqual({ items: [], nextCursor: null })
  })
})

describe('localizeJson', () => {
  // Canonical JSON with texts, near-texts, quotes, backslashes and text-like sequences inside
  // strings: the result, parsed, is what localizing the parsed value gives, or null.
  const tricky = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.constantFrom('한국어', '가상머신 {"en":"x"}', '\u2028', '😀'),
    fc.constantFrom('{"en":"x","ko":"y"}', '\\', '"', '\\"', '","ko":"', '"}', '{"en":"', 'a\\\\'),
  )
  const value = jsonWithTexts(tricky, ['en', 'ko', 'a', 'z', 'message', '__proto__'])

  it('gives what localizing the parsed document gives', () => {
    fc.assert(
      fc.property(value, fc.constantFrom<Language>('en', 'ko'), (v, language) => {
        const text = canonicalJson(v)
        const localized = localizeBytes(text, language)
        // On the string itself (Latin-1 bytes or the stored text): the same result, or both decline.
        expect(localizeText(text, language)).toBe(localized)
        const expected = JSON.stringify(localizeInPlace(JSON.parse(text), language))
        if (localized === null) return
        expect(JSON.stringify(JSON.parse(localized))).toBe(expected)
      }),
      { numRuns: 3000 },
    )
  })

  it('declines only a text whose ko is not a string, and the answer is still right', () => {
    const document = canonicalJson({ id: 'a', note: { en: 'x', ko: 5 }, texts: [{ en: 'e', ko: 'k' }] })
    expect(localizeBytes(document, 'en')).toBeNull()
    expect(localizeText(document, 'en')).toBeNull()
    const extras = { stale: false, overrides: [], finalPlacement: 'container' }
    expect(parsed(assessmentJson(bytes(document), extras, 'ko'))).toEqual(byObjects(document, extras, 'ko'))
    expect(JSON.parse(assessmentJsonText(document, extras, 'ko'))).toEqual(byObjects(document, extras, 'ko'))
    expect(localizeBytes(canonicalJson({ texts: [{ en: '이', ko: '한국어' }] }), 'ko')).toBe(
      '{"texts":["한국어"]}',
    )
  })

  it('returns a document without texts as it is', () => {
    const document = canonicalJson({ a: [1, 'two', { en: 3, ko: 'x' }], b: null })
    expect(localizeBytes(document, 'ko')).toBe(document)
    expect(localizeText(document, 'ko')).toBe(document)
  })
})

describe('what-if decisions answered with JSON.stringify', () => {
  // The serializer Fastify compiles for the route's 200 (`Evaluation`), as the service builds it.
  const compiled = SerializerSelector()(Object.fromEntries(SHARED_SCHEMAS.map((s) => [s.$id, s])), {})({
    schema: { $ref: 'Evaluation#' },
  } as never) as (value: unknown) => string
  const validEvaluation = ajv.getSchema('Evaluation')
  if (!validEvaluation) throw new Error('no Evaluation schema')

  it.each(['en', 'ko'] as const)(
    'write what the compiled serializer wrote, valid as Evaluation (%s)',
    (language) => {
      const random = rng(20261128)
      for (let i = 0; i < 150; i++) {
        const policy = BUILT_IN_POLICIES[i % BUILT_IN_POLICIES.length] as (typeof BUILT_IN_POLICIES)[number]
        const descriptor = randomDescriptor(random, i)
        const text = evaluationJson(decide(descriptor, policy), language)
        const answer = JSON.parse(text)
        expect(answer).toEqual(JSON.parse(compiled(localizeInPlace(decide(descriptor, policy), language))))
        if (!validEvaluation(answer)) throw new Error(JSON.stringify(validEvaluation.errors))
      }
    },
  )
})
