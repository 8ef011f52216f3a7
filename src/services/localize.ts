import type { Decision } from '../schemas/decision'
import type { LocalizedText } from '../schemas/policy'

export type Language = keyof LocalizedText
const SUPPORTED: readonly Language[] = ['en', 'ko']

/** The supported language the client prefers most (RFC 9110 Accept-Language), English by default. */
export function pickLanguage(header: string | undefined): Language {
  if (!header) return 'en'
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';')
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
      const quality = q ? Number(q.slice(2)) : 1
      return {
        primary: tag.trim().toLowerCase().split('-')[0],
        quality: Number.isFinite(quality) ? quality : 0,
        index,
      }
    })
    .filter((entry) => entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index)
  return (ranked.find((entry) => SUPPORTED.includes(entry.primary as Language))?.primary as Language) ?? 'en'
}

type Text<T> = T extends LocalizedText ? string : T extends object ? { [K in keyof T]: Text<T[K]> } : T
type Localized<T> = { [K in keyof T]: Text<T[K]> }

/**
 * A decision with its messages in one language: every `{ en, ko }` text in it, however deep
 * (rationale, constraints, hints, readiness blockers, conflicts), becomes the one string asked
 * for. Decisions hold no other two-key objects with exactly these keys.
 *
 * It rewrites the value it is given and returns it (a text at the top would be returned as the
 * string): callers pass what only they hold, a document just parsed from the store or a decision
 * just made (the engine never hands out a policy's own objects: localize.test.ts localizes
 * decisions made under deep-frozen policies). Copying every object of a bilingual decision
 * cost twice as much as rewriting it (BENCHMARKS.md).
 */
export function localizeInPlace<T extends Decision>(decision: T, language: Language): Localized<T> {
  return walk(decision, language) as Localized<T>
}

/** `{ en, ko }` and nothing else. */
function isText(record: Record<string, unknown>): boolean {
  if (typeof record.en !== 'string' || !Object.hasOwn(record, 'ko')) return false
  let keys = 0
  for (const _ in record) keys++
  return keys === 2
}

function walk(value: unknown, language: Language): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i]
      if (v === null || typeof v !== 'object') continue
      const w = walk(v, language)
      if (w !== v) value[i] = w
    }
    return value
  }
  const record = value as Record<string, unknown>
  if (isText(record)) return record[language]
  // for...in, not Object.keys(): no array of keys for each of an answer's hundred-odd objects
  // (they were a twentieth of an evaluation's garbage). Decisions and parsed documents are plain
  // objects: nothing enumerable is inherited.
  for (const key in record) {
    const v = record[key]
    if (v === null || typeof v !== 'object') continue
    const w = walk(v, language)
    if (w === v) continue
    // An own "__proto__" (JSON.parse makes one) stays a property: assigning would set the prototype.
    if (key === '__proto__')
      Object.defineProperty(record, key, { value: w, enumerable: true, writable: true, configurable: true })
    else record[key] = w
  }
  return record
}
