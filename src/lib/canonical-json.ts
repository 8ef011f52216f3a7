/**
 * JSON with object keys sorted and no insignificant white space, so that equal values
 * always give equal text: the basis of request fingerprints and audit hashes.
 *
 * Audit hashes already stored depend on this text byte for byte, so its definition is fixed:
 * exactly `JSON.stringify` of the value with every plain object's keys re-inserted in sorted
 * order (`legacyCanonicalJson` in test/lib/canonical-json.test.ts, which checks the two agree on
 * generated values). Written out directly instead: building the sorted copies first cost about
 * a seventh of a stored assessment's CPU (BENCHMARKS.md).
 */
export function canonicalJson(value: unknown): string {
  return flattened(write(value) as string)
}

// Any regular-expression match flattens its subject in place; this one stops at the first character.
const FIRST = /^[\s\S]/

/**
 * A string built by concatenation is a rope of thousands of small pieces until something needs
 * it in one piece (a hash, the driver, a regular expression). A stored document is held until
 * its group commit (a batch of 500 holds 500 of them): as a rope it takes 50 KB, flat 28 KB
 * (measured on the census case). Flattened here it costs what the hash would have cost a little
 * later. A match rather than a conversion: a compiler may drop a conversion nobody reads.
 */
function flattened(text: string): string {
  FIRST.test(text)
  return text
}

const MAX_INDEX = 2 ** 32 - 1

/** An array index ("0", "17"): objects list these first, in numeric order, whatever the insertion order. */
function isIndex(key: string): boolean {
  const n = Number(key)
  return Number.isInteger(n) && n >= 0 && n < MAX_INDEX && String(n) === key
}

/**
 * Sorted by code units, then as an object built in that order would list them: array indices
 * first, numerically (the order JSON.stringify would have written the re-inserted keys in).
 * Sorted in place, by insertion for the few keys most objects have: Array.prototype.sort
 * allocates working storage on every call, and these sorts made a sixth of everything a stored
 * assessment allocated (BENCHMARKS.md). Many keys (an attacker's object) take the library sort.
 */
function orderKeys(keys: string[]): string[] {
  if (keys.length > 16) keys.sort()
  else {
    for (let i = 1; i < keys.length; i++) {
      const key = keys[i] as string
      let j = i - 1
      while (j >= 0 && (keys[j] as string) > key) {
        keys[j + 1] = keys[j] as string
        j--
      }
      keys[j + 1] = key
    }
  }
  if (!keys.some(isIndex)) return keys
  const indices = keys.filter(isIndex).sort((a, b) => Number(a) - Number(b))
  return [...indices, ...keys.filter((k) => !isIndex(k))]
}

// Characters JSON.stringify escapes (quote, backslash, controls, lone surrogates: any surrogate
// is checked the slow way).
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/

/** JSON.stringify of a string, without the call for the common string that needs no escape. */
const quote = (s: string) => (NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`)

/**
 * Keys as written, kept: a decision repeats the same few dozen keys hundreds of times. Capped,
 * since objects from requests can bring any keys; past the cap a key is quoted each time.
 */
const MAX_KEPT_KEYS = 1000
const quotedKeys = new Map<string, string>()
function quoteKey(key: string): string {
  let quoted = quotedKeys.get(key)
  if (quoted === undefined) {
    quoted = quote(key)
    if (quotedKeys.size < MAX_KEPT_KEYS) quotedKeys.set(key, quoted)
  }
  return quoted
}

function write(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return quote(value)
    case 'number':
      // JSON writes a finite number as ToString does; NaN and infinities as null.
      return Number.isFinite(value) ? String(value) : 'null'
    case 'boolean':
      return value ? 'true' : 'false'
    case 'object':
      break
    default:
      return JSON.stringify(value)
  }
  if (value === null) return 'null'
  if (value instanceof Date) return JSON.stringify(value)
  if (Array.isArray(value)) {
    let out = '['
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ','
      out += write(value[i]) ?? 'null'
    }
    return `${out}]`
  }
  const record = value as Record<string, unknown>
  let out = '{'
  let first = true
  for (const key of orderKeys(Object.keys(record))) {
    const v = record[key]
    if (v === undefined) continue
    const text = write(v)
    if (text === undefined) continue
    if (!first) out += ','
    out += quoteKey(key)
    out += ':'
    out += text
    first = false
  }
  return `${out}}`
}
