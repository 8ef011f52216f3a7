import type { Characteristics, ResolvedCharacteristics } from '../schemas/descriptor'
import { BLOCKER_NAMES } from '../schemas/descriptor'
import type { Condition, LocalizedText } from '../schemas/policy'
import { fillPlaceholders } from './templates'

type Facts = Partial<Record<keyof ResolvedCharacteristics, unknown>>

function value(c: Facts, field: Condition['field']): unknown {
  return Object.hasOwn(c, field) ? c[field] : undefined
}

/** True when a characteristic's value satisfies every test the condition gives. */
export function holdsFor(condition: Condition, v: unknown): boolean {
  if (condition.in !== undefined && !condition.in.includes(v as string | boolean)) return false
  if (condition.gte !== undefined && !(typeof v === 'number' && v >= condition.gte)) {
    return false
  }
  if (condition.lt !== undefined && !(typeof v === 'number' && v < condition.lt)) return false
  return true
}

/** True when the characteristic satisfies every test the condition gives. */
export function holds(condition: Condition, c: ResolvedCharacteristics): boolean {
  return holdsFor(condition, value(c, condition.field))
}

export function allHold(conditions: readonly Condition[], c: ResolvedCharacteristics): boolean {
  for (const condition of conditions) if (!holds(condition, c)) return false
  return true
}

/** Three-valued truth: what is not known is neither true nor false. */
export type Truth = boolean | 'unknown'

const BLOCKER_FIELDS = new Set<string>(BLOCKER_NAMES)

/**
 * Tests a condition on the characteristics as submitted, never on assumed values: a condition
 * on a characteristic that was not given, or on a blocker answered `unknown`, is unknown,
 * unless the condition asks for `unknown` itself.
 */
export function holdsOnFacts(condition: Condition, submitted: Characteristics): Truth {
  return truthFor(condition, factOf(submitted, condition.field))
}

/** A submitted value as holdsOnFacts() sees it: a blocker not given is `unknown`. */
export function factOf(submitted: Characteristics, field: Condition['field']): unknown {
  const v = value(submitted, field)
  return v === undefined && BLOCKER_FIELDS.has(field) ? 'unknown' : v
}

/** holdsOnFacts() for a value already looked up with factOf(). */
export function truthFor(condition: Condition, v: unknown): Truth {
  if (condition.in?.includes(v as string | boolean)) {
    return condition.gte === undefined && condition.lt === undefined
  }
  if (v === undefined || v === 'unknown') return 'unknown'
  return holdsFor(condition, v)
}

/** Kleene conjunction: false if any is false, true if all are true, else unknown. */
export function allHoldOnFacts(conditions: readonly Condition[], submitted: Characteristics): Truth {
  let result: Truth = true
  for (const condition of conditions) {
    const truth = holdsOnFacts(condition, submitted)
    if (truth === false) return false
    if (truth === 'unknown') result = 'unknown'
  }
  return result
}

/** Replaces `{field}` in both languages with the characteristic's value. */
export function fillText(text: LocalizedText, c: Facts): LocalizedText {
  const lookup = (name: string) =>
    Object.hasOwn(c, name) ? String(c[name as keyof ResolvedCharacteristics]) : undefined
  const fill = (s: string) => fillPlaceholders(s, lookup)
  return { en: fill(text.en), ko: fill(text.ko) }
}
