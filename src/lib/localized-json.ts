/**
 * A stored document's JSON, as UTF-8 bytes, with every `{ en, ko }` text replaced by the string
 * of one language, without parsing it: what `localizeInPlace(JSON.parse(text), language)` gives,
 * as bytes. Reading an assessment parsed its 12-15 KB bilingual document, localized the objects
 * and serialized them again; this is a tenth of that, and the bytes go to the socket as they
 * are (BENCHMARKS.md). In UTF-8 every byte of a multi-byte character is 0x80 or above, so the
 * ASCII quotes, backslashes and braces found here are the JSON's own.
 *
 * It relies on the document being canonical JSON (src/lib/canonical-json.ts: no whitespace, keys
 * sorted), which every stored document is, since the audit log's hash covers that form. There a
 * two-key text is always written `{"en":"…","ko":"…"}`, and that sequence can only be an object:
 * inside a JSON string every quote is escaped, and a string's closing quote cannot be followed
 * by `en`. An object that starts so but has another key after `ko` is not a text, as in
 * localize, and is left as it is (its own texts are still found). Where `ko` is not a string,
 * which no decision holds, it gives up (null) and the caller parses instead.
 */
const TEXT_OPENS = '{"en":"'
const KO_KEY = ',"ko":'
const QUOTE = '"'
const BACKSLASH = 92
const CLOSE_BRACE = '}'

/**
 * The index of the quote that closes the JSON string whose content starts at `from`.
 *
 * The scan runs over the bytes as a Latin-1 string (one character a byte, so every index is a
 * byte offset and the round trip gives the same bytes): String.prototype.indexOf and slices run
 * inside the JavaScript engine, where each Buffer indexOf, compare and subarray crossed into C++
 * and made an object, some ten a text and sixty texts a document (21 us of a read's 180 on the
 * eighth session's machine; BENCHMARKS.md).
 */
function closingQuote(json: string, from: number): number {
  let at = from
  for (;;) {
    const quote = json.indexOf(QUOTE, at)
    if (quote < 0) return -1
    let backslashes = 0
    for (let i = quote - 1; json.charCodeAt(i) === BACKSLASH; i--) backslashes++
    if (backslashes % 2 === 0) return quote
    at = quote + 1
  }
}

/** localizeJson on the JSON as a string: a document's text as it was stored, or its bytes as Latin-1. */
export function localizeText(json: string, language: 'en' | 'ko'): string | null {
  let out = ''
  let copied = 0
  let at = json.indexOf(TEXT_OPENS)
  while (at >= 0) {
    const enQuote = at + TEXT_OPENS.length - 1
    const enEnd = closingQuote(json, enQuote + 1)
    if (enEnd < 0) return null
    const koQuote = enEnd + 1 + KO_KEY.length
    if (!json.startsWith(KO_KEY, enEnd + 1)) {
      at = json.indexOf(TEXT_OPENS, at + 1)
      continue
    }
    if (json[koQuote] !== QUOTE) return null
    const koEnd = closingQuote(json, koQuote + 1)
    if (koEnd < 0) return null
    if (json[koEnd + 1] !== CLOSE_BRACE) {
      at = json.indexOf(TEXT_OPENS, at + 1)
      continue
    }
    out += json.slice(copied, at)
    out += language === 'en' ? json.slice(enQuote, enEnd + 1) : json.slice(koQuote, koEnd + 1)
    copied = koEnd + 2
    at = json.indexOf(TEXT_OPENS, copied)
  }
  if (copied === 0) return json
  out += json.slice(copied)
  return out
}

export function localizeJson(bytes: Buffer, language: 'en' | 'ko'): Buffer | null {
  const json = bytes.toString('latin1')
  const out = localizeText(json, language)
  if (out === null) return null
  return out === json ? bytes : Buffer.from(out, 'latin1')
}
