// @ts-check
import { CRITERION_COLOURS, contributionChart, weightChart } from './chart.js'
import { definitions, h, s, scrollable, table } from './dom.js'
import { fill, formatNumber, formatTime, language, nameOf, t } from './i18n.js'

/**
 * The decision report: what the API answered, laid out for reading and for paper. A stored
 * assessment and a what-if evaluation share it; only a stored one has an id, an org, a time,
 * overrides and an audit-log entry.
 */

/**
 * @typedef {import('./chart.js').Criterion} Criterion
 * @typedef {{ code: string, status: string, verdict: string, clearedBy?: string, message: string }} Blocker
 * @typedef {{ id: string, assessmentId: string, org: string, recommendation: string, placement: string, reasonCode: string, reason: string, keyId: string, createdAt: string }} Override
 * @typedef {{
 *   id?: string, createdAt?: string, org?: string,
 *   application: { name: string, externalRef?: string, description?: string },
 *   characteristics: Record<string, string | number | boolean>, assumed: string[],
 *   recommendation: string, confidence: string, scores: Record<string, number>, margin: number | null,
 *   criteria: Criterion[],
 *   constraints: { code: string, excludes: string[], message: string, kind?: string }[],
 *   rationale: { code: string, message: string }[],
 *   sensitivity: { criterion: string, flipsAtWeight: number | null }[],
 *   counterfactuals: { field: string, value: string | boolean, recommendation: string, message: string }[],
 *   policy: { id: string, version: number },
 *   model?: number, outcome?: string, runnerUp?: string | null, scoreWinner?: string, overruledBy?: string[],
 *   target?: string, effort?: string, interim?: string | null,
 *   readiness?: Record<string, { verdict: string, blockers: Blocker[] }>,
 *   conflicts?: { code: string, scoreWinner: string, recommendation: string, message: string, requires: string }[],
 *   supersedes?: string | null, changes?: Record<string, unknown>, stale?: boolean, overrides?: Override[], finalPlacement?: string
 * }} Decision
 * @typedef {{ entry: { seq: number, hash: string }, checkpoint: { size: number, keyId: string } }} Proof
 * @typedef {{ id: string, version: number, name: string }} PolicySummary
 */

/** @param {string} path */
const reportLink = (path) => `${path}?lang=${language}`

/**
 * @param {string} title
 * @param {string} id
 * @param {...(import('./dom.js').Child | import('./dom.js').Child[])} content
 */
function section(title, id, ...content) {
  return h(
    'section',
    { id, 'aria-labelledby': `${id}-heading` },
    h('h2', { id: `${id}-heading` }, title),
    ...content,
  )
}

/**
 * @param {Decision} decision
 * @param {{ proof: Proof | null, policy: PolicySummary | null, evaluatedAt?: string }} context
 */
export function reportView(decision, context) {
  return h(
    'article',
    { class: 'report', 'data-recommendation': decision.recommendation },
    summary(decision, context),
    scores(decision),
    weights(decision),
    decision.id === undefined ? null : overrides(decision.overrides ?? []),
    constraints(decision),
    section(
      t('rationale'),
      'rationale',
      h(
        'ul',
        { class: 'codes' },
        decision.rationale.map((r) => h('li', {}, h('code', {}, r.code), ' ', r.message)),
      ),
    ),
    section(
      t('counterfactuals'),
      'counterfactuals',
      decision.counterfactuals.length
        ? h(
            'ul',
            {},
            decision.counterfactuals.map((c) =>
              h(
                'li',
                {},
                h('strong', {}, `${nameOf(c.field)} = ${nameOf(c.value)}`),
                ' → ',
                nameOf(c.recommendation),
                h('br', {}),
                h('span', { class: 'muted' }, c.message),
              ),
            ),
          )
        : h('p', {}, t('noCounterfactuals')),
    ),
    decision.changes ? changes(decision.changes) : null,
    criteriaTable(decision),
    characteristics(decision),
    readiness(decision),
  )
}

/**
 * @param {Decision} d
 * @param {{ proof: Proof | null, policy: PolicySummary | null, evaluatedAt?: string }} context
 */
function summary(d, { proof, policy, evaluatedAt }) {
  const overridden = d.finalPlacement !== undefined && d.finalPlacement !== d.recommendation
  const policyName = policy
    ? t('policyText', { name: policy.name, id: d.policy.id, version: d.policy.version })
    : `${d.policy.id} v${d.policy.version}`
  return section(
    t('summary'),
    'summary',
    definitions(
      [
        [t('application'), d.application.name, 'application'],
        [t('externalRef'), d.application.externalRef, 'externalRef'],
        [t('description'), d.application.description, 'description'],
        [
          t('recommendation'),
          h('strong', { class: 'recommendation' }, nameOf(d.recommendation)),
          'recommendation',
        ],
        [
          t('finalPlacement'),
          overridden ? h('strong', {}, nameOf(d.finalPlacement ?? '')) : null,
          'finalPlacement',
        ],
        [t('confidence'), nameOf(d.confidence), 'confidence'],
        [t('outcome'), d.outcome === undefined ? null : nameOf(d.outcome), 'outcome'],
        [
          t('margin'),
          d.margin === null
            ? t('marginNone')
            : h(
                'span',
                {},
                fill(d.runnerUp ? t('marginText') : '{margin}', {
                  margin: h('span', { 'data-value': d.margin }, formatNumber(d.margin)),
                  runnerUp: nameOf(d.runnerUp ?? ''),
                }),
              ),
          'margin',
        ],
        [t('target'), d.target === undefined ? null : nameOf(d.target), 'target'],
        [t('effort'), d.effort === undefined ? null : nameOf(d.effort), 'effort'],
        [t('interim'), d.interim ? nameOf(d.interim) : null, 'interim'],
        [
          t('scoreWinner'),
          d.scoreWinner && d.scoreWinner !== d.recommendation ? nameOf(d.scoreWinner) : null,
          'scoreWinner',
        ],
        [t('overruledBy'), d.overruledBy?.length ? d.overruledBy.join(', ') : null, 'overruledBy'],
        [t('policy'), [policyName, d.stale ? h('span', { class: 'badge' }, t('stale')) : null], 'policy'],
        [t('assessmentId'), d.id === undefined ? null : h('code', {}, d.id), 'id'],
        [t('org'), d.org, 'org'],
        d.createdAt
          ? [t('decidedAt'), formatTime(d.createdAt), 'time']
          : [
              t('evaluatedAt'),
              evaluatedAt ? [formatTime(evaluatedAt), h('br', {}), t('notStored')] : null,
              'time',
            ],
        [
          t('supersedes'),
          d.supersedes ? h('a', { href: reportLink(`/reports/${d.supersedes}`) }, d.supersedes) : null,
          'supersedes',
        ],
        [
          t('audit'),
          d.id === undefined
            ? null
            : proof
              ? [
                  t('auditText', { seq: proof.entry.seq, hash: '' }),
                  h('code', { class: 'hash', 'data-field': 'auditHash' }, proof.entry.hash),
                  h('br', {}),
                  t('auditCheckpoint', { size: proof.checkpoint.size, keyId: proof.checkpoint.keyId }),
                ]
              : t('auditMissing'),
          'audit',
        ],
      ],
      { class: 'summary' },
    ),
  )
}

/** @param {Decision} d */
function scores(d) {
  const sums = Object.keys(d.scores).map((platform) => ({
    platform,
    sum: d.criteria.reduce((total, c) => total + (c.contributions[platform] ?? 0), 0),
    score: d.scores[platform] ?? 0,
  }))
  const rounded = sums.filter(({ sum, score }) => Math.abs(sum - score) > 1e-9)
  return section(
    t('scoresTitle'),
    'scores',
    h('figure', {}, contributionChart(d), legend(d.criteria), h('figcaption', {}, t('scoresCaption'))),
    rounded.map(({ platform, sum, score }) =>
      h(
        'p',
        { class: 'muted' },
        `${nameOf(platform)}: `,
        t('scoresRounding', { sum: formatNumber(sum), score: formatNumber(score) }),
      ),
    ),
  )
}

/** @param {Criterion[]} criteria */
function legend(criteria) {
  return h(
    'ul',
    { class: 'legend' },
    criteria.map((c, i) =>
      h(
        'li',
        {},
        s(
          'svg',
          { width: 12, height: 12, viewBox: '0 0 12 12', 'aria-hidden': 'true' },
          s('rect', { width: 12, height: 12, fill: CRITERION_COLOURS[i % CRITERION_COLOURS.length] }),
        ),
        ' ',
        nameOf(c.name),
      ),
    ),
  )
}

/** @param {Decision} d */
function weights(d) {
  return section(
    t('weightsTitle'),
    'weights',
    h('figure', {}, weightChart(d), h('figcaption', {}, t('weightsCaption'))),
  )
}

/** @param {Decision} d */
function criteriaTable(d) {
  const platforms = Object.keys(d.scores)
  const flips = new Map(d.sensitivity.map((x) => [x.criterion, x.flipsAtWeight]))
  const cell = (/** @type {number} */ value, /** @type {string} */ field) =>
    h('span', { 'data-field': field, 'data-value': value }, formatNumber(value))
  return section(
    t('criteriaTable'),
    'criteria',
    scrollable(
      table(
        t('criteriaTable'),
        [
          t('criterion'),
          t('weight'),
          t('flipPoint'),
          ...platforms.map((p) => `${t('rating')}: ${nameOf(p)}`),
          ...platforms.map((p) => `${t('contribution')}: ${nameOf(p)}`),
        ],
        [
          ...d.criteria.map((c) => {
            const flip = flips.get(c.name)
            return [
              [
                nameOf(c.name),
                c.role === 'transition' ? h('span', { class: 'muted' }, ` — ${t('roleTransition')}`) : null,
              ],
              cell(c.weight, `weight:${c.name}`),
              flip == null ? t('neverFlips') : cell(flip, `flip:${c.name}`),
              ...platforms.map((p) => cell(c.scores[p] ?? 0, `rating:${c.name}:${p}`)),
              ...platforms.map((p) => cell(c.contributions[p] ?? 0, `contribution:${c.name}:${p}`)),
            ]
          }),
          [
            h('strong', {}, t('total')),
            '',
            '',
            ...platforms.map(() => ''),
            ...platforms.map((p) => h('strong', {}, cell(d.scores[p] ?? 0, `score:${p}`))),
          ],
        ],
        { class: 'numbers' },
      ),
      t('criteriaTable'),
    ),
  )
}

/** @param {Decision} d */
function characteristics(d) {
  const assumed = new Set(d.assumed)
  return section(
    t('characteristics'),
    'characteristics',
    h(
      'dl',
      { class: 'characteristics' },
      Object.entries(d.characteristics).map(([name, value]) =>
        h(
          'div',
          {},
          h('dt', {}, nameOf(name)),
          h(
            'dd',
            {},
            nameOf(value),
            assumed.has(name) ? h('span', { class: 'badge', 'data-assumed': name }, t('assumed')) : null,
          ),
        ),
      ),
    ),
    assumed.size ? h('p', { class: 'muted' }, t('assumedNote')) : null,
  )
}

/** @param {Decision} d */
function readiness(d) {
  if (!d.readiness) return null
  return section(
    t('readiness'),
    'readiness',
    Object.entries(d.readiness).map(([platform, { verdict, blockers }]) =>
      h(
        'div',
        { class: 'readiness', 'data-platform': platform },
        h(
          'h3',
          {},
          `${nameOf(platform)}: `,
          h('span', { class: `verdict verdict-${verdict}` }, nameOf(verdict)),
        ),
        blockers.length
          ? h(
              'ul',
              { class: 'codes' },
              blockers.map((b) =>
                h(
                  'li',
                  {},
                  h('code', {}, b.code),
                  ` (${b.status === 'unanswered' ? t('unanswered') : t('applies')}; ${nameOf(b.verdict)}${b.clearedBy ? `; ${t('clearedBy')} ${nameOf(b.clearedBy)}` : ''}) `,
                  b.message,
                ),
              ),
            )
          : h('p', {}, t('noBlockers')),
      ),
    ),
  )
}

/** @param {Decision} d */
function constraints(d) {
  const fired = d.constraints
  return section(
    t('constraints'),
    'constraints',
    fired.length
      ? h(
          'ul',
          { class: 'codes' },
          fired.map((c) =>
            h(
              'li',
              {},
              h('code', {}, c.code),
              ` (${c.kind ? `${nameOf(c.kind)}; ` : ''}${t('excludes')} ${c.excludes.map(nameOf).join(', ')}) `,
              c.message,
            ),
          ),
        )
      : h('p', {}, t('noConstraints')),
    d.conflicts?.length
      ? [
          h('h3', {}, t('conflicts')),
          h(
            'ul',
            { class: 'codes' },
            d.conflicts.map((c) =>
              h(
                'li',
                {},
                h('code', {}, c.code),
                ' ',
                c.message,
                ' ',
                h('span', { class: 'muted' }, c.requires),
              ),
            ),
          ),
        ]
      : null,
  )
}

/** @param {Override[]} list */
function overrides(list) {
  return section(
    t('overrides'),
    'overrides',
    list.length
      ? scrollable(
          table(
            t('overrides'),
            [t('time'), t('placement'), t('reasonCode'), t('reason'), t('key')],
            list.map((o) => [
              formatTime(o.createdAt),
              nameOf(o.placement),
              o.reasonCode,
              o.reason,
              h('code', {}, o.keyId),
            ]),
          ),
          t('overrides'),
        )
      : h('p', {}, t('noOverrides')),
  )
}

/** @param {Record<string, unknown>} changes */
function changes(changes) {
  /** @param {unknown} v */
  const text = (v) => {
    if (v === null || v === undefined) return '—'
    if (typeof v === 'number') return formatNumber(v)
    if (typeof v === 'object' && 'id' in v && 'version' in v) return `${v.id} v${v.version}`
    return nameOf(String(v))
  }
  const label = (/** @type {string} */ field) => t(/** @type {any} */ (field === 'scores' ? 'score' : field))
  const rows = Object.entries(changes).flatMap(([field, change]) => {
    const c = /** @type {Record<string, unknown>} */ (change)
    if ('from' in c && 'to' in c) return [[label(field), text(c.from), text(c.to)]]
    return Object.entries(/** @type {Record<string, { from: unknown, to: unknown }>} */ (c)).map(
      ([key, v]) => [`${label(field)}: ${nameOf(key)}`, text(v.from), text(v.to)],
    )
  })
  return section(t('changes'), 'changes', table(t('changes'), [t('changes'), t('from'), t('to')], rows))
}
