import type { FieldError } from '../errors'
import { PATTERN_MESSAGES } from '../schemas/common'

export interface AjvError {
  instancePath: string
  keyword: string
  message?: string
  params: Record<string, unknown>
}

/** Turns ajv's errors into one entry per bad path, pointing at the property itself. */
export function fieldErrors(errors: readonly AjvError[]): FieldError[] {
  const out: FieldError[] = []
  const seen = new Set<string>()
  for (const e of errors) {
    let path = e.instancePath
    let message = e.message ?? 'is invalid'
    if (e.keyword === 'required') {
      path = `${path}/${String(e.params.missingProperty)}`
      message = 'is required'
    } else if (e.keyword === 'additionalProperties') {
      path = `${path}/${String(e.params.additionalProperty)}`
      message = 'is not a known property'
    } else if (e.keyword === 'enum') {
      message = `must be one of: ${(e.params.allowedValues as unknown[]).join(', ')}`
    } else if (e.keyword === 'pattern') {
      message = PATTERN_MESSAGES[String(e.params.pattern)] ?? message
    }
    const key = `${path} ${message}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push({ path: path === '' ? '/' : path, message })
  }
  return out
}
