// @ts-check
import { h, show } from './dom.js'
import { nameOf, t } from './i18n.js'
import { reportView } from './report-view.js'
import { apiJson, failure, keepQueryOnLanguageSwitch, signIn } from './session.js'

/**
 * The what-if page: a descriptor in, the report of the decision out, nothing stored. A portal
 * may pass the descriptor in the address fragment (#descriptor=<base64url of its JSON>): the
 * fragment never leaves the browser, so it is not in any server's log.
 */

const app = /** @type {HTMLElement} */ (document.getElementById('app'))

/** The four characteristics every descriptor must give, with their values in order. */
const REQUIRED = {
  businessCriticality: ['low', 'medium', 'high', 'mission_critical'],
  dataClassification: ['public', 'internal', 'confidential', 'secret'],
  loadVariability: ['steady', 'moderate', 'high', 'extreme'],
  architecture: ['monolith', 'modular', 'microservices', 'containerized'],
}

/** @returns {Record<string, any> | null | 'unreadable'} */
function descriptorFromFragment() {
  if (!/(?:^#|&)descriptor=/.test(location.hash)) return null
  const match = /(?:^#|&)descriptor=([A-Za-z0-9_-]+)/.exec(location.hash)
  if (!match?.[1]) return 'unreadable'
  try {
    const base64 = match[1].replace(/-/g, '+').replace(/_/g, '/')
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
    const value = JSON.parse(new TextDecoder().decode(bytes))
    return value && typeof value === 'object' && !Array.isArray(value) ? value : 'unreadable'
  } catch {
    return 'unreadable'
  }
}

/**
 * @param {{ id: string, version: number, name: string, active: boolean }[]} policies
 * @param {Record<string, any> | null} given
 */
function descriptorForm(policies, given) {
  const characteristics = { ...(given?.characteristics ?? {}) }
  /** @type {Record<string, unknown>} */
  const more = {}
  for (const [name, value] of Object.entries(characteristics)) if (!(name in REQUIRED)) more[name] = value

  const field = (/** @type {string} */ id, /** @type {string} */ label, /** @type {HTMLElement} */ control) =>
    h('div', { class: 'field' }, h('label', { for: id }, label), control)
  const name = h('input', {
    id: 'name',
    name: 'name',
    required: true,
    maxlength: 200,
    value: given?.application?.name ?? '',
  })
  const selects = Object.entries(REQUIRED).map(([characteristic, values]) => {
    const select = h(
      'select',
      { id: characteristic, name: characteristic, required: true },
      values.map((value) =>
        h('option', { value, selected: characteristics[characteristic] === value }, nameOf(value)),
      ),
    )
    return field(characteristic, nameOf(characteristic), select)
  })
  const policy = h(
    'select',
    { id: 'policyId', name: 'policyId' },
    h('option', { value: '' }, t('activePolicy')),
    policies.map((p) =>
      h(
        'option',
        { value: p.id, selected: given?.policyId === p.id },
        `${p.name} — ${p.id} v${p.version}${p.active ? ' ✓' : ''}`,
      ),
    ),
  )
  const extra = h(
    'textarea',
    { id: 'more', name: 'more', rows: 4, 'aria-describedby': 'more-help', spellcheck: 'false' },
    Object.keys(more).length ? JSON.stringify(more, null, 2) : '',
  )
  const form = h(
    'form',
    { id: 'what-if-form', class: 'what-if chrome' },
    h('p', { class: 'muted' }, t('whatIfIntro')),
    field('name', t('name'), name),
    h('div', { class: 'field-row' }, selects),
    field('policyId', t('policy'), policy),
    field('more', t('moreCharacteristics'), extra),
    h('p', { id: 'more-help', class: 'help' }, t('moreHelp')),
    h('button', { type: 'submit' }, t('evaluate')),
  )
  /** @returns {Record<string, unknown> | string} a descriptor, or why there is none */
  const read = () => {
    /** @type {Record<string, unknown>} */
    let additional = {}
    if (extra.value.trim()) {
      try {
        additional = JSON.parse(extra.value)
      } catch {
        return t('notJson')
      }
      if (!additional || typeof additional !== 'object' || Array.isArray(additional)) return t('notJson')
    }
    /** @type {Record<string, unknown>} */
    const chosen = {}
    for (const characteristic of Object.keys(REQUIRED)) {
      chosen[characteristic] = /** @type {HTMLSelectElement} */ (
        form.elements.namedItem(characteristic)
      ).value
    }
    return {
      application: { ...(given?.application ?? {}), name: name.value },
      characteristics: { ...additional, ...chosen },
      ...(policy.value ? { policyId: policy.value } : {}),
    }
  }
  return { form, read }
}

async function main() {
  keepQueryOnLanguageSwitch()
  await signIn(app)
  const policies = (await apiJson('/v1/policies')).items
  const fromLink = descriptorFromFragment()
  const given = fromLink === 'unreadable' ? null : fromLink
  const { form, read } = descriptorForm(policies, given)
  const result = h('div', { id: 'result', 'aria-live': 'polite' })
  show(app, form, result)
  if (fromLink === 'unreadable') show(result, h('p', { class: 'error', role: 'alert' }, t('unreadableLink')))
  const evaluate = async () => {
    const descriptor = read()
    if (typeof descriptor === 'string')
      return show(result, h('p', { class: 'error', role: 'alert' }, descriptor))
    try {
      const evaluatedAt = new Date().toISOString()
      const decision = await apiJson('/v1/evaluate', { method: 'POST', body: descriptor })
      show(
        result,
        reportView(decision, {
          proof: null,
          policy: policies.find((/** @type {{id: string}} */ p) => p.id === decision.policy.id) ?? null,
          evaluatedAt,
        }),
      )
    } catch (error) {
      show(result, h('h2', {}, t('invalid')), failure(error))
    }
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    void evaluate()
  })
  if (given) await evaluate()
}

main().catch((error) => show(app, failure(error)))
