// @ts-check
import { s } from './dom.js'
import { formatNumber, nameOf, t } from './i18n.js'

/**
 * The report's two charts, drawn as SVG from the decision's own numbers: nothing is computed
 * here but positions. Each bar segment carries the API's number in `data-value`.
 */

/** @typedef {{ name: string, weight: number, scores: Record<string, number>, contributions: Record<string, number>, role?: string }} Criterion */
/** @typedef {{ scores: Record<string, number>, criteria: Criterion[], sensitivity: { criterion: string, flipsAtWeight: number | null }[], recommendation: string }} Figures */

/** Dark enough for white labels (contrast 4.5:1 or more), told apart by lightness as well as hue. */
export const CRITERION_COLOURS = [
  '#1f4e8c',
  '#a23b20',
  '#2b6e3f',
  '#6b3d8f',
  '#7a5c00',
  '#2d5f66',
  '#8c2f5c',
  '#4a4a4a',
]

const WIDTH = 760
const LABEL = 250
const BAR = 400
const ROW = 34
const TOP = 10
const AXIS = 26

let charts = 0

/**
 * @param {string} title
 * @param {string} description
 * @param {number} height
 */
function frame(title, description, height) {
  charts += 1
  const id = `chart-${charts}`
  return s(
    'svg',
    {
      class: 'chart',
      viewBox: `0 0 ${WIDTH} ${height}`,
      role: 'img',
      'aria-labelledby': `${id}-title ${id}-desc`,
      preserveAspectRatio: 'xMinYMin meet',
    },
    s('title', { id: `${id}-title` }, title),
    s('desc', { id: `${id}-desc` }, description),
  )
}

/**
 * Grid lines and tick labels under the bars.
 * @param {number[]} ticks
 * @param {(v: number) => number} x
 * @param {number} bottom
 */
function axis(ticks, x, bottom) {
  return s(
    'g',
    { class: 'axis', 'aria-hidden': 'true' },
    ticks.flatMap((tick) => [
      s('line', { x1: x(tick), x2: x(tick), y1: TOP - 4, y2: bottom, class: 'grid' }),
      s('text', { x: x(tick), y: bottom + 16, 'text-anchor': 'middle' }, formatNumber(tick)),
    ]),
  )
}

/**
 * One stacked bar per platform, best score first: each criterion's contribution (weight x
 * rating) as a segment, the score at its end.
 * @param {Figures} decision
 */
export function contributionChart(decision) {
  const platforms = Object.keys(decision.scores).sort(
    (a, b) => (decision.scores[b] ?? 0) - (decision.scores[a] ?? 0),
  )
  const height = TOP + platforms.length * ROW + AXIS
  const x = (/** @type {number} */ value) => LABEL + (value / 100) * BAR
  const described = platforms.map((p) => `${nameOf(p)} ${formatNumber(decision.scores[p] ?? 0)}`).join(', ')
  const svg = frame(t('scoresTitle'), described, height)
  svg.append(axis([0, 20, 40, 60, 80, 100], x, TOP + platforms.length * ROW))
  platforms.forEach((platform, row) => {
    const y = TOP + row * ROW + 4
    const height = ROW - 10
    let start = 0
    const segments = decision.criteria.map((criterion, index) => {
      const value = criterion.contributions[platform] ?? 0
      const from = start
      start += value
      if (value <= 0) return null
      const width = x(from + value) - x(from)
      const label = `${nameOf(criterion.name)}: ${formatNumber(value)} = ${formatNumber(criterion.weight)} × ${formatNumber(criterion.scores[platform] ?? 0)}`
      return s(
        'g',
        {},
        s(
          'rect',
          {
            class: 'segment',
            x: x(from),
            y,
            width,
            height,
            fill: CRITERION_COLOURS[index % CRITERION_COLOURS.length],
            'data-platform': platform,
            'data-criterion': criterion.name,
            'data-value': value,
          },
          s('title', {}, label),
        ),
        width >= 34
          ? s(
              'text',
              {
                class: 'segment-label',
                x: x(from) + width / 2,
                y: y + height / 2 + 4,
                'text-anchor': 'middle',
              },
              formatNumber(value),
            )
          : null,
      )
    })
    const recommended = platform === decision.recommendation
    svg.append(
      s(
        'g',
        { class: recommended ? 'bar recommended' : 'bar', 'data-platform': platform },
        s(
          'text',
          { class: 'bar-label', x: LABEL - 8, y: y + height / 2 + 5, 'text-anchor': 'end' },
          `${recommended ? '★ ' : ''}${nameOf(platform)}`,
        ),
        segments,
        s(
          'text',
          {
            class: 'bar-total',
            x: x(start) + 6,
            y: y + height / 2 + 5,
            'data-score': decision.scores[platform] ?? 0,
          },
          formatNumber(decision.scores[platform] ?? 0),
        ),
      ),
    )
  })
  return svg
}

/**
 * One bar per criterion: its weight on a 0..1 scale, and a mark where the sensitivity analysis
 * says the recommendation flips.
 * @param {Figures} decision
 */
export function weightChart(decision) {
  const criteria = decision.criteria
  const height = TOP + criteria.length * ROW + AXIS
  const x = (/** @type {number} */ weight) => LABEL + weight * BAR
  const flips = new Map(decision.sensitivity.map((entry) => [entry.criterion, entry.flipsAtWeight]))
  const described = criteria
    .map((c) => {
      const flip = flips.get(c.name)
      return `${nameOf(c.name)} ${formatNumber(c.weight)}${flip == null ? '' : `, ${t('flipsAt', { weight: formatNumber(flip) })}`}`
    })
    .join('; ')
  const svg = frame(t('weightsTitle'), described, height)
  svg.append(axis([0, 0.25, 0.5, 0.75, 1], x, TOP + criteria.length * ROW))
  criteria.forEach((criterion, row) => {
    const y = TOP + row * ROW + 4
    const barHeight = ROW - 14
    const flip = flips.get(criterion.name)
    svg.append(
      s(
        'g',
        { class: 'weight', 'data-criterion': criterion.name },
        s(
          'text',
          { class: 'bar-label', x: LABEL - 8, y: y + barHeight / 2 + 5, 'text-anchor': 'end' },
          nameOf(criterion.name),
        ),
        s('rect', {
          class: 'weight-bar',
          x: x(0),
          y,
          width: Math.max(x(criterion.weight) - x(0), 0),
          height: barHeight,
          fill: CRITERION_COLOURS[row % CRITERION_COLOURS.length],
          'data-value': criterion.weight,
        }),
        s(
          'text',
          { class: 'bar-total', x: x(criterion.weight) + 6, y: y + barHeight / 2 + 5 },
          formatNumber(criterion.weight),
        ),
        s(
          'text',
          { class: 'flip-label', x: WIDTH - 4, y: y + barHeight / 2 + 5, 'text-anchor': 'end' },
          flip == null ? t('neverFlips') : `▲ ${formatNumber(flip)}`,
        ),
        flip == null
          ? null
          : s(
              'g',
              { class: 'flip', 'data-flip': flip },
              s('title', {}, t('flipsAt', { weight: formatNumber(flip) })),
              s('line', { x1: x(flip), x2: x(flip), y1: y - 3, y2: y + barHeight + 3 }),
              s('path', { d: `M ${x(flip)} ${y + barHeight + 1} l -6 9 l 12 0 z` }),
            ),
      ),
    )
  })
  return svg
}
