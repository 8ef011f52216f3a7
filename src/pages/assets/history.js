// @ts-check
import { h, scrollable, show, table } from './dom.js'
import { formatNumber, formatShortTime, language, nameOf, t } from './i18n.js'
import { api, apiJson, failure, keepQueryOnLanguageSwitch, signIn } from './session.js'

/**
 * The history browser: the API's list with its filters and cursor paging, a link to each
 * report, and the export and verify buttons for the keys that may use them. The filters live
 * in the page's address, so a view can be bookmarked or linked to; the API decides what the key
 * sees (a submitter: its own org only), the page only leaves out what the key cannot use.
 */

const app = /** @type {HTMLElement} */ (document.getElementById('app'))
const FILTERS = [
  'application',
  'org',
  'recommendation',
  'policyId',
  'stale',
  'overridden',
  'from',
  'to',
  'limit',
]

/** @typedef {import('./session.js').Caller} Caller */

/** @param {URLSearchParams} query */
function filtersOf(query) {
  const filters = new URLSearchParams()
  for (const name of FILTERS) {
    const value = query.get(name)
    if (value) filters.set(name, value)
  }
  return filters
}

/**
 * @param {Caller} caller
 * @param {{ id: string, version: number, name: string, platforms: string[] }[]} policies
 * @param {URLSearchParams} current
 */
function filterForm(caller, policies, current) {
  const value = (/** @type {string} */ name) => current.get(name) ?? ''
  const field = (/** @type {string} */ id, /** @type {string} */ label, /** @type {HTMLElement} */ control) =>
    h('div', { class: 'field' }, h('label', { for: `filter-${id}` }, label), control)
  const input = (/** @type {string} */ name, /** @type {string} */ type = 'text') =>
    h('input', { id: `filter-${name}`, name, type, value: value(name) })
  const choice = (/** @type {string} */ name, /** @type {[string, string][]} */ options) =>
    h(
      'select',
      { id: `filter-${name}`, name },
      options.map(([v, label]) => h('option', { value: v, selected: value(name) === v }, label)),
    )
  const platforms = [...new Set(policies.flatMap((p) => p.platforms))]
  const yesNo = /** @type {[string, string][]} */ ([
    ['', t('any')],
    ['true', t('yes')],
    ['false', t('no')],
  ])
  const reset = h('a', { href: `/history?lang=${language}`, class: 'button-link' }, t('reset'))
  return h(
    'form',
    { id: 'filters', class: 'filters chrome', role: 'search' },
    h(
      'fieldset',
      {},
      h('legend', {}, t('filters')),
      h(
        'div',
        { class: 'field-row' },
        field('application', t('application'), input('application', 'search')),
        caller.role === 'submitter' ? null : field('org', t('org'), input('org')),
        field(
          'recommendation',
          t('recommendation'),
          choice('recommendation', [
            ['', t('any')],
            ...platforms.map((p) => /** @type {[string, string]} */ ([p, nameOf(p)])),
          ]),
        ),
        field(
          'policyId',
          t('policy'),
          choice('policyId', [
            ['', t('any')],
            ...policies.map(
              (p) => /** @type {[string, string]} */ ([p.id, `${p.name} — ${p.id} v${p.version}`]),
            ),
          ]),
        ),
        field('stale', t('staleShort'), choice('stale', yesNo)),
        field('overridden', t('overridden'), choice('overridden', yesNo)),
        field('from', t('dateFrom'), input('from', 'date')),
        field('to', t('dateTo'), input('to', 'date')),
        field(
          'limit',
          t('pageSize'),
          choice('limit', [
            ['20', '20'],
            ['50', '50'],
            ['100', '100'],
          ]),
        ),
      ),
      h('button', { type: 'submit' }, t('search')),
      ' ',
      reset,
    ),
  )
}

/**
 * @param {any[]} items
 * @param {boolean} more whether the API gave a next cursor: a filter that tests assessments one
 *   by one reads a bounded number of them a page, so an empty page may still have more after it.
 */
function results(items, more) {
  if (!items.length && more) return h('p', { 'data-field': 'no-results-yet' }, t('noResultsYet'))
  if (!items.length) return h('p', { 'data-field': 'no-results' }, t('noResults'))
  return scrollable(
    table(
      t('results'),
      [
        t('application'),
        t('time'),
        t('org'),
        t('recommendation'),
        t('finalPlacementShort'),
        t('confidence'),
        t('margin'),
        t('policy'),
        t('staleShort'),
        t('overridden'),
      ],
      items.map((a) => [
        h(
          'a',
          { href: `/reports/${encodeURIComponent(a.id)}?lang=${language}`, 'data-id': a.id },
          a.application.name,
        ),
        h('time', { datetime: a.createdAt, title: a.createdAt }, formatShortTime(a.createdAt)),
        a.org,
        nameOf(a.recommendation),
        a.finalPlacement === a.recommendation
          ? nameOf(a.finalPlacement)
          : h('strong', {}, nameOf(a.finalPlacement)),
        nameOf(a.confidence),
        a.margin === null ? '—' : formatNumber(a.margin),
        h('span', { class: 'nowrap' }, `${a.policy.id} v${a.policy.version}`),
        a.stale ? t('yes') : t('no'),
        a.overrides.length ? t('yes') : t('no'),
      ]),
      { id: 'results', class: 'history' },
    ),
    t('results'),
  )
}

/**
 * Saves a response as a file, named as the service named it.
 * @param {Response} response
 */
async function download(response) {
  const disposition = response.headers.get('Content-Disposition') ?? ''
  const file = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'assessments'
  const url = URL.createObjectURL(await response.blob())
  const link = h('a', { href: url, download: file, hidden: true })
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
  return file
}

/**
 * @param {Caller} caller
 * @param {URLSearchParams} filters
 */
function actions(caller, filters) {
  const message = h('div', { id: 'action-result', 'aria-live': 'polite' })
  const exportButton = (/** @type {'csv' | 'ndjson'} */ format) => {
    const button = h(
      'button',
      { type: 'button', 'data-export': format },
      format === 'csv' ? t('exportCsv') : t('exportNdjson'),
    )
    button.addEventListener('click', async () => {
      const query = new URLSearchParams(filters)
      query.delete('limit')
      query.set('format', format)
      try {
        const file = await download(await api(`/v1/assessments/export?${query}`))
        show(message, h('p', {}, t('exported', { file })))
      } catch (error) {
        show(message, failure(error))
      }
    })
    return button
  }
  const verify = h('button', { type: 'button', id: 'verify' }, t('verify'))
  verify.addEventListener('click', async () => {
    show(message, h('p', {}, t('verifying')))
    try {
      const result = await apiJson('/v1/audit/verify')
      show(
        message,
        result.ok
          ? h(
              'p',
              { class: 'ok', 'data-field': 'verify-ok' },
              t('verifyOk', { checked: result.checked, head: result.headHash.slice(0, 16) }),
              result.checkpoint?.signatureValid
                ? ` ${t('verifyOkCheckpoint', { size: result.checkpoint.size })}`
                : '',
            )
          : h(
              'p',
              { class: 'error', role: 'alert', 'data-field': 'verify-failed' },
              t('verifyFailed', { reason: result.reason ?? '', id: result.firstInvalidId ?? '—' }),
            ),
      )
    } catch (error) {
      show(message, failure(error))
    }
  })
  return h(
    'div',
    { class: 'toolbar chrome' },
    exportButton('csv'),
    exportButton('ndjson'),
    caller.role === 'submitter' ? null : verify,
    message,
  )
}

async function main() {
  keepQueryOnLanguageSwitch()
  const caller = await signIn(app)
  const policies = (await apiJson('/v1/policies')).items
  const here = new URL(location.href)
  const filters = filtersOf(here.searchParams)
  /** Cursors of the pages before this one, for "previous": the API's cursors only go forward. */
  const before = /** @type {string[]} */ ([])
  let cursor = here.searchParams.get('cursor') ?? ''
  const listing = h('div', { id: 'listing', 'aria-live': 'polite' })
  const form = filterForm(caller, policies, filters)
  show(
    app,
    caller.role === 'submitter' ? h('p', { class: 'muted' }, t('ownOrgOnly', { org: caller.org })) : null,
    form,
    actions(caller, filters),
    listing,
  )

  const load = async () => {
    const query = new URLSearchParams(filters)
    if (cursor) query.set('cursor', cursor)
    try {
      const page = await apiJson(`/v1/assessments?${query}`)
      const nav = h('nav', { class: 'pager chrome', 'aria-label': t('results') })
      if (before.length || cursor) {
        const first = h('button', { type: 'button', 'data-page': 'first' }, t('firstPage'))
        first.addEventListener('click', () => go('', []))
        nav.append(first, ' ')
      }
      if (before.length) {
        const previous = h('button', { type: 'button', 'data-page': 'previous' }, t('previousPage'))
        previous.addEventListener('click', () => go(before[before.length - 1] ?? '', before.slice(0, -1)))
        nav.append(previous, ' ')
      }
      // A page opened from an address with a cursor does not know how many pages lie before it.
      if (!cursor || before.length) {
        nav.append(h('span', { 'data-field': 'page-number' }, t('pageNumber', { n: before.length + 1 })))
      }
      if (page.nextCursor) {
        const next = h('button', { type: 'button', 'data-page': 'next' }, t('nextPage'))
        next.addEventListener('click', () => go(page.nextCursor, [...before, cursor]))
        nav.append(' ', next)
      }
      show(listing, results(page.items, Boolean(page.nextCursor)), nav)
    } catch (error) {
      show(listing, failure(error))
    }
  }
  /**
   * @param {string} to
   * @param {string[]} stack
   */
  const go = (to, stack) => {
    before.splice(0, before.length, ...stack)
    cursor = to
    const address = new URLSearchParams(filters)
    address.set('lang', language)
    if (cursor) address.set('cursor', cursor)
    history.replaceState(null, '', `/history?${address}`)
    keepQueryOnLanguageSwitch()
    return load()
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const data = new FormData(form)
    for (const name of FILTERS) {
      const value = data.get(name)
      if (typeof value === 'string' && value.trim() && !(name === 'limit' && value === '20'))
        filters.set(name, value.trim())
      else filters.delete(name)
    }
    void go('', [])
  })
  await load()
}

main().catch((error) => show(app, failure(error)))
