import { createHash, type Hash } from 'node:crypto'

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
  if (omitted(value)) return JSON.stringify(value) as string
  const sink: Sink = { text: '' }
  write(value, sink)
  return flattened(sink.text)
}

/**
 * SHA-256 (hex) of `prefix` followed by the canonical JSON of `value`: the same as hashing that
 * text, without building it (see Sink).
 */
export function canonicalJsonSha256(prefix: string, value: unknown): string {
  const sink: Sink = { text: prefix, hash: createHash('sha256') }
  if (omitted(value)) sink.text += JSON.stringify(value) ?? 'undefined'
  else write(value, sink)
  const hash = sink.hash as Hash
  if (sink.text.length > 0) hash.update(sink.text)
  return hash.digest('hex')
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
  // Most keys are names: no number to make of them.
  const first = key.charCodeAt(0)
  if (!(first >= 48 && first <= 57)) return false
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

/**
 * Where canonical text goes: kept in `text`, or, with a hash, fed to it. Small pieces are
 * gathered in `text` and a large one (a stored document inside an audit record) goes to the
 * hash as it is: the whole text is never built, which for an audit record meant a rope and two
 * flat copies of some 27 000 two-byte characters, a third of a stored assessment's garbage
 * (BENCHMARKS.md). Pieces are whole JSON tokens, which never hold a lone surrogate (JSON escapes
 * those), so their UTF-8 in turn is the UTF-8 of the whole.
 */
interface Sink {
  text: string
  hash?: Hash
}

/** Pieces at least this long skip the gathering when hashed. */
const LARGE = 2048

function put(sink: Sink, piece: string): void {
  if (sink.hash !== undefined && piece.length >= LARGE) {
    if (sink.text.length > 0) sink.hash.update(sink.text)
    sink.text = ''
    sink.hash.update(piece)
  } else sink.text += piece
}

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
const omitted = (value: unknown) =>
  value === undefined || typeof value === 'function' || typeof value === 'symbol'

/** The text of a value that is not an array or a plain object; undefined for those. */
function scalarText(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return quote(value)
    case 'number':
      // JSON writes a finite number as ToString does; NaN and infinities as null.
      return Number.isFinite(value) ? String(value) : 'null'
    case 'boolean':
      return value ? 'true' : 'false'
    case 'object':
      if (value === null) return 'null'
      return value instanceof Date ? JSON.stringify(value) : undefined
    default:
      // A bigint: JSON.stringify throws, as it always did here.
      return JSON.stringify(value) as string
  }
}

/** Writes a value that is not omitted(). */
function write(value: unknown, sink: Sink): void {
  const scalar = scalarText(value)
  if (scalar !== undefined) {
    put(sink, scalar)
    return
  }
  if (Array.isArray(value)) {
    put(sink, '[')
    for (let i = 0; i < value.length; i++) {
      if (i > 0) put(sink, ',')
      const item: unknown = value[i]
      if (omitted(item)) put(sink, 'null')
      else write(item, sink)
    }
    put(sink, ']')
    return
  }
  const record = value as Record<string, unknown>
  put(sink, '{')
  let first = true
  for (const key of orderKeys(Object.keys(record))) {
    const v = record[key]
    if (omitted(v)) continue
    if (!first) put(sink, ',')
    put(sink, quoteKey(key))
    put(sink, ':')
    write(v, sink)
    first = false
  }
  put(sink, '}')
}
