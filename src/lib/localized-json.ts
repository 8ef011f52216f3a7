/**
 * A stored document's JSON text with every `{ en, ko }` text replaced by the string of one
 * language, without parsing it: what `localizeInPlace(JSON.parse(text), language)` gives, as
 * text. Reading an assessment parsed its 12-15 KB bilingual document, localized the objects and
 * serialized them again; this is a tenth of that (BENCHMARKS.md).
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
const QUOTE = 34
const BACKSLASH = 92
const CLOSE_BRACE = 125

/** The index of the quote that closes the JSON string whose content starts at `from`. */
function closingQuote(text: string, from: number): number {
  let at = from
  for (;;) {
    const quote = text.indexOf('"', at)
    if (quote < 0) return -1
    let backslashes = 0
    for (let i = quote - 1; text.charCodeAt(i) === BACKSLASH; i--) backslashes++
    if (backslashes % 2 === 0) return quote
    at = quote + 1
  }
}

export function localizeJsonText(text: string, language: 'en' | 'ko'): string | null {
  let out = ''
  let copied = 0
  let at = text.indexOf(TEXT_OPENS)
  while (at >= 0) {
    const enQuote = at + TEXT_OPENS.length - 1
    const enEnd = closingQuote(text, enQuote + 1)
    if (enEnd < 0) return null
    const koQuote = enEnd + 1 + KO_KEY.length
    if (!text.startsWith(KO_KEY, enEnd + 1)) {
      at = text.indexOf(TEXT_OPENS, at + 1)
      continue
    }
    if (text.charCodeAt(koQuote) !== QUOTE) return null
    const koEnd = closingQuote(text, koQuote + 1)
    if (koEnd < 0) return null
    if (text.charCodeAt(koEnd + 1) !== CLOSE_BRACE) {
      at = text.indexOf(TEXT_OPENS, at + 1)
      continue
    }
    out += text.slice(copied, at)
    out += language === 'en' ? text.slice(enQuote, enEnd + 1) : text.slice(koQuote, koEnd + 1)
    copied = koEnd + 2
    at = text.indexOf(TEXT_OPENS, copied)
  }
  return copied === 0 ? text : out + text.slice(copied)
}
