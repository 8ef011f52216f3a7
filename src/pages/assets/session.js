// @ts-check
import { h, show } from './dom.js'
import { language, roleName, t } from './i18n.js'

/**
 * The API key and the calls made with it. The key is kept in this tab's sessionStorage (not a
 * cookie: the browser never sends it by itself, so another site cannot make a request with it)
 * and goes out only in the Authorization header of this page's own requests to this origin.
 */

const STORAGE_KEY = 'placement.apiKey'

/** @typedef {{ keyId: string, org: string, role: 'submitter' | 'auditor' | 'admin' }} Caller */
/** @typedef {{ type?: string, title?: string, status?: number, detail?: string, errors?: { path: string, message: string }[] }} Problem */

export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {Problem | null} problem
   */
  constructor(status, problem) {
    super(problem?.detail ?? `HTTP ${status}`)
    this.status = status
    this.problem = problem
  }
}

/**
 * A request to the service's API with the key, in the page's language.
 * @param {string} path
 * @param {{ method?: string, body?: unknown }} [options]
 */
export async function api(path, options = {}) {
  const key = sessionStorage.getItem(STORAGE_KEY)
  if (!key) throw new ApiError(401, null)
  /** @type {Record<string, string>} */
  const headers = { Authorization: `Bearer ${key}`, 'Accept-Language': language }
  if (options.body !== undefined) headers['Content-Type'] = 'application/json'
  let response
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'omit',
      cache: 'no-store',
    })
  } catch {
    throw new ApiError(0, { detail: t('unreachable') })
  }
  if (!response.ok) {
    /** @type {Problem | null} */
    let problem = null
    try {
      problem = await response.json()
    } catch {
      problem = null
    }
    throw new ApiError(response.status, problem)
  }
  return response
}

/**
 * @param {string} path
 * @param {{ method?: string, body?: unknown }} [options]
 */
export async function apiJson(path, options) {
  return (await api(path, options)).json()
}

/**
 * The caller, once a key the service accepts is in this tab: asks for one until then.
 * @param {HTMLElement} app  where the key form goes
 * @returns {Promise<Caller>}
 */
export async function signIn(app) {
  const bar = /** @type {HTMLElement} */ (document.getElementById('session'))
  /** @param {string | null} refused */
  const ask = (refused) =>
    new Promise((resolve) => {
      const input = h('input', {
        id: 'api-key',
        name: 'api-key',
        type: 'password',
        autocomplete: 'off',
        spellcheck: 'false',
        required: true,
        'aria-describedby': 'api-key-help',
      })
      const form = h(
        'form',
        { id: 'key-form', class: 'key-form chrome' },
        h(
          'fieldset',
          {},
          h('legend', {}, t('keyLegend')),
          refused ? h('p', { class: 'error', role: 'alert' }, refused) : null,
          h('label', { for: 'api-key' }, t('keyLabel')),
          input,
          h('p', { id: 'api-key-help', class: 'help' }, t('keyHelp')),
          h('button', { type: 'submit' }, t('keyUse')),
        ),
      )
      form.addEventListener('submit', (event) => {
        event.preventDefault()
        sessionStorage.setItem(STORAGE_KEY, input.value.trim())
        resolve(undefined)
      })
      show(app, form)
      input.focus()
    })

  /** @type {string | null} */
  let refused = null
  for (;;) {
    if (!sessionStorage.getItem(STORAGE_KEY)) await ask(refused)
    try {
      /** @type {Caller} */
      const caller = await apiJson('/v1/me')
      showCaller(bar, caller)
      return caller
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error
      sessionStorage.removeItem(STORAGE_KEY)
      refused = t('keyRefused')
    }
  }
}

/**
 * @param {HTMLElement} bar
 * @param {Caller} caller
 */
function showCaller(bar, caller) {
  const forget = h('button', { type: 'button', class: 'link-button' }, t('forgetKey'))
  forget.addEventListener('click', () => {
    sessionStorage.removeItem(STORAGE_KEY)
    location.reload()
  })
  show(
    bar,
    h('span', { 'data-field': 'caller' }, t('signedInAs', { org: caller.org, role: roleName(caller.role) })),
    ' ',
    forget,
  )
}

/**
 * A failed call, said in words, with the service's field errors where it gave them.
 * @param {unknown} error
 */
export function failure(error) {
  if (!(error instanceof ApiError)) return h('p', { class: 'error', role: 'alert' }, String(error))
  const detail = error.problem?.detail ?? error.problem?.title ?? ''
  return h(
    'div',
    { class: 'error', role: 'alert' },
    h('p', {}, error.status === 0 ? t('unreachable') : t('failed', { status: error.status, detail })),
    error.problem?.errors?.length
      ? h(
          'ul',
          {},
          error.problem.errors.map((e) => h('li', {}, h('code', {}, e.path || '/'), ' ', e.message)),
        )
      : null,
  )
}

/** Keeps the language switch on the same page with the same query (filters, for instance). */
export function keepQueryOnLanguageSwitch() {
  const link = /** @type {HTMLAnchorElement | null} */ (document.getElementById('switch-language'))
  if (!link) return
  const target = new URL(link.href)
  const here = new URL(location.href)
  here.searchParams.set('lang', target.searchParams.get('lang') ?? 'en')
  link.href = `${here.pathname}${here.search}${here.hash}`
}
