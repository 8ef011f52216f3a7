import { type TSchema, type TUnsafe, Type } from '@sinclair/typebox'

/**
 * A string enumeration as a plain JSON Schema `enum`. TypeBox's union of literals compiles
 * to `anyOf` of `const`s, which gives clients one vague error per alternative; `enum` gives
 * one clear message listing the allowed values.
 */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: Record<string, unknown> = {},
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options })
}

/** `{ [platform]: number }`: one figure per platform of the policy. */
export const PlatformNumbersSchema = Type.Record(Type.String(), Type.Number(), {
  $id: 'PlatformNumbers',
  description: 'One figure per platform of the policy, keyed by platform name.',
})

/** A value that may be null, as OpenAPI 3.1 / JSON Schema spell it. */
export function Nullable<T extends TSchema>(schema: T) {
  return Type.Union([schema, Type.Null()])
}
