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
const TEXT_OPENS = Buffer.from('{"en":"')
const KO_KEY = Buffer.from(',"ko":')
const QUOTE = 34
const BACKSLASH = 92
const CLOSE_BRACE = 125

/** The index of the quote that closes the JSON string whose content starts at `from`. */
function closingQuote(json: Buffer, from: number): number {
  let at = from
  for (;;) {
    const quote = json.indexOf(QUOTE, at)
    if (quote < 0) return -1
    let backslashes = 0
    for (let i = quote - 1; json[i] === BACKSLASH; i--) backslashes++
    if (backslashes % 2 === 0) return quote
    at = quote + 1
  }
}

const startsWithAt = (json: Buffer, prefix: Buffer, at: number) =>
  json.length >= at + prefix.length && json.compare(prefix, 0, prefix.length, at, at + prefix.length) === 0

export function localizeJson(json: Buffer, language: 'en' | 'ko'): Buffer | null {
  const parts: Buffer[] = []
  let copied = 0
  let at = json.indexOf(TEXT_OPENS)
  while (at >= 0) {
    const enQuote = at + TEXT_OPENS.length - 1
    const enEnd = closingQuote(json, enQuote + 1)
    if (enEnd < 0) return null
    const koQuote = enEnd + 1 + KO_KEY.length
    if (!startsWithAt(json, KO_KEY, enEnd + 1)) {
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
    parts.push(json.subarray(copied, at))
    parts.push(language === 'en' ? json.subarray(enQuote, enEnd + 1) : json.subarray(koQuote, koEnd + 1))
    copied = koEnd + 2
    at = json.indexOf(TEXT_OPENS, copied)
  }
  if (copied === 0) return json
  parts.push(json.subarray(copied))
  return Buffer.concat(parts)
}
