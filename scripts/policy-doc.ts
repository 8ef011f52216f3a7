import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Condition, Policy } from '../src/schemas/policy'
import { DEFAULT_POLICY } from '../src/services/policies'

/**
 * The README's account of the default policy, generated from the policy's own data so that the
 * two cannot drift (`npm run docs:policy` rewrites it; `--check` and the test suite fail when
 * the README differs). Every number and rule shown here is read from the policy.
 */
const BEGIN = '<!-- generated from the policy data by `npm run docs:policy`: do not edit by hand -->'
const END = '<!-- end of generated policy section -->'
const README = path.resolve(__dirname, '..', 'README.md')

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')
const row = (cells: (string | number)[]) => `| ${cells.map((c) => cell(String(c))).join(' | ')} |`
const table = (head: string[], rows: (string | number)[][]) =>
  [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n')
const refs = (ids: readonly string[] | undefined) => (ids ?? []).map((id) => `\`${id}\``).join(' ')

function condition(c: Condition): string {
  const parts: string[] = []
  if (c.in !== undefined) parts.push(`${c.field} ∈ {${c.in.join(', ')}}`)
  if (c.gte !== undefined) parts.push(`${c.field} ≥ ${c.gte}`)
  if (c.lt !== undefined) parts.push(`${c.field} < ${c.lt}`)
  return parts.join(' and ')
}
const conditions = (cs: readonly Condition[]) => cs.map(condition).join(' and ')
const signed = (n: number) => (n > 0 ? `+${n}` : `${n}`)
const adjustments = (record: Record<string, number> | undefined) =>
  Object.entries(record ?? {})
    .map(([k, v]) => `${k} ${signed(v)}`)
    .join(', ')

export function renderPolicy(policy: Policy): string {
  const out: string[] = []
  out.push(`#### Criteria and ratings (\`${policy.id}\`)`)
  out.push(
    table(
      ['criterion', 'role', 'base weight', ...policy.platforms, 'sources'],
      policy.criteria.map((c) => [
        c.name,
        c.role ?? 'fit',
        c.baseWeight,
        ...policy.platforms.map((p) => policy.ratings[p]?.[c.name] ?? ''),
        refs([
          ...new Set([
            ...(c.source ?? []),
            ...policy.platforms.flatMap((p) => policy.ratingSources?.[p]?.[c.name] ?? []),
          ]),
        ]),
      ]),
    ),
  )
  out.push('#### Rules (when every condition holds: add to weights, add to ratings)')
  out.push(
    table(
      ['code', 'when', 'weights', 'ratings', 'sources'],
      policy.rules.map((r) => [
        r.code,
        conditions(r.when),
        adjustments(r.weights),
        Object.entries(r.ratings ?? {})
          .map(([p, adj]) => `${p}: ${adjustments(adj)}`)
          .join('; '),
        refs(r.source),
      ]),
    ),
  )
  if (policy.readiness?.length) {
    out.push('#### Readiness checks (tested on submitted facts; unanswered: `unknown`)')
    out.push(
      table(
        ['code', 'platforms', 'when', 'verdict', 'cleared by', 'sources'],
        policy.readiness.map((c) => [
          c.code,
          c.platforms.join(', '),
          conditions(c.when),
          c.verdict,
          c.verdict === 'not_ready' ? (c.clearedBy ?? '(nothing: lasting)') : '',
          refs(c.source),
        ]),
      ),
    )
  }
  if (policy.gates?.length) {
    out.push('#### Gates')
    out.push(
      table(
        ['code', 'when', 'keeps off', 'unless', 'sources'],
        policy.gates.map((g) => [
          g.code,
          conditions(g.when),
          g.restrict.join(', '),
          g.unless ? conditions(g.unless) : '(no exception)',
          refs(g.source),
        ]),
      ),
    )
  }
  if (policy.transition) {
    const transition = policy.transition
    out.push(`#### Effort of the move (an interim placement is named from \`${transition.interimFrom}\` on)`)
    const architectures = Object.keys(Object.values(transition.effort)[0] ?? {})
    out.push(
      table(
        ['architecture', ...policy.platforms],
        architectures.map((a) => [a, ...policy.platforms.map((p) => transition.effort[p]?.[a] ?? '')]),
      ),
    )
    out.push(`Sources: ${refs(transition.source)}.`)
  }
  const c = policy.confidence
  out.push('#### Confidence')
  out.push(
    `high from a margin of ${c.highMargin} points, medium from ${c.mediumMargin}; more than ${c.maxAssumedForHigh} ` +
      `assumed inputs cap it at medium, ${c.insufficientAssumed} or more make it low` +
      (c.tieMargin === undefined ? '' : `; scores within ${c.tieMargin} points are no clear preference`) +
      `. Sources: ${refs(c.source)}.`,
  )
  if (policy.actionable?.length) out.push(`Hints are given for: ${policy.actionable.join(', ')}.`)
  if (policy.sources) {
    out.push('#### Sources')
    out.push(
      table(
        ['key', 'kind', 'where', 'the paper’s words', 'what it says and how it is used'],
        Object.entries(policy.sources).map(([key, s]) => [
          `\`${key}\``,
          s.kind,
          s.kind === 'paper' ? (s.section ?? '') : s.title,
          s.passage ?? '',
          s.gloss,
        ]),
      ),
    )
  }
  return out.join('\n\n')
}

export function renderReadme(readme: string, policy: Policy = DEFAULT_POLICY): string {
  const start = readme.indexOf(BEGIN)
  const end = readme.indexOf(END)
  if (start < 0 || end < start) throw new Error('README.md has no generated policy section markers')
  return `${readme.slice(0, start + BEGIN.length)}\n\n${renderPolicy(policy)}\n\n${readme.slice(end)}`
}

function main() {
  const readme = readFileSync(README, 'utf8')
  const generated = renderReadme(readme)
  if (process.argv.includes('--check')) {
    if (generated !== readme) {
      console.error('README.md’s policy section is stale: run `npm run docs:policy` and commit the result.')
      process.exit(1)
    }
    console.log('README.md’s policy section matches the policy data.')
    return
  }
  writeFileSync(README, generated)
  console.log(`wrote the policy section of ${README}`)
}

if (require.main === module) main()
