// @ts-check
import { h, show } from './dom.js'
import { t } from './i18n.js'
import { reportView } from './report-view.js'
import { ApiError, apiJson, failure, keepQueryOnLanguageSwitch, signIn } from './session.js'

/** The report page of one stored assessment: /reports/{id}. */

const app = /** @type {HTMLElement} */ (document.getElementById('app'))
const title = /** @type {HTMLElement} */ (document.getElementById('page-title'))

/**
 * A companion read that may be missing (an assessment older than the audit log, a policy
 * the key cannot read): null instead of a failed page.
 * @param {string} path
 */
const optional = (path) =>
  apiJson(path).catch((error) => {
    if (error instanceof ApiError && (error.status === 404 || error.status === 403)) return null
    throw error
  })

async function main() {
  keepQueryOnLanguageSwitch()
  await signIn(app)
  const id = decodeURIComponent(location.pathname.slice('/reports/'.length))
  const path = `/v1/assessments/${encodeURIComponent(id)}`
  try {
    const assessment = await apiJson(path)
    const [proof, policy] = await Promise.all([
      optional(`${path}/proof`),
      optional(`/v1/policies/${encodeURIComponent(assessment.policy.id)}`),
    ])
    title.textContent = assessment.application.name
    document.title = `${assessment.application.name} · ${document.title}`
    show(app, toolbar(), reportView(assessment, { proof, policy }))
  } catch (error) {
    show(
      app,
      error instanceof ApiError && error.status === 404
        ? h('p', { class: 'error', role: 'alert', 'data-field': 'not-found' }, t('notFound'))
        : failure(error),
    )
  }
}

export function toolbar() {
  const print = h('button', { type: 'button' }, t('print'))
  print.addEventListener('click', () => window.print())
  return h('div', { class: 'toolbar chrome' }, print)
}

main().catch((error) => show(app, failure(error)))
