import type { ResolvedCharacteristics } from '../schemas/descriptor'
import type { Condition, LocalizedText } from '../schemas/policy'

/** True when the characteristic satisfies every test the condition gives. */
export function holds(condition: Condition, c: ResolvedCharacteristics): boolean {
  const value = c[condition.field]
  if (condition.in !== undefined && !condition.in.includes(value as string | boolean)) return false
  if (condition.gte !== undefined && !(typeof value === 'number' && value >= condition.gte)) {
    return false
  }
  if (condition.lt !== undefined && !(typeof value === 'number' && value < condition.lt)) return false
  return true
}

export function allHold(conditions: readonly Condition[], c: ResolvedCharacteristics): boolean {
  return conditions.every((condition) => holds(condition, c))
}

/** Replaces `{field}` in both languages with the characteristic's value. */
export function fillText(text: LocalizedText, c: ResolvedCharacteristics): LocalizedText {
  const fill = (s: string) =>
    s.replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in c ? String(c[name as keyof ResolvedCharacteristics]) : whole,
    )
  return { en: fill(text.en), ko: fill(text.ko) }
}
