/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import type { Browser, Page } from 'playwright-core'
import { ledger, publicPortal } from '../fixtures/descriptors'
import { bearer, createTestApp, type TestApp } from '../helpers/app'
import { artefact, browserAvailable, launchBrowser, watch } from '../helpers/browser'

/**
 * The report pages and the history browser, driven in a real headless Chromium against the
 * service listening on real HTTP: what they show is checked against what the API answers.
 */

const suite = browserAvailable() ? describe : describe.skip
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

// biome-ignore lint/suspicious/noExplicitAny: the API's answers, read field by field as the page shows them
type Json = Record<string, any>

const census = {
  application: { name: 'Population census system', externalRef: 'PROC-2026-0077' },
  characteristics: {
    businessCriticality: 'medium',
    dataClassification: 'internal',
    loadVariability: 'extreme',
    architecture: 'monolith',
    stateful: false,
  },
}

suite('the report pages in a real browser', () => {
  let t: TestApp
  let browser: Browser
  let base: string
  const ids: Record<string, string> = {}
  const open: Page[] = []

  const api = async (path: string, key: string, language = 'en') =>
    (await t.http().get(path).set(bearer(key)).set('Accept-Language', language).expect(200)).body as Json

  beforeAll(async () => {
    // A list window of 10 rows (LIST_WINDOW): the history page's short pages with a few rows.
    t = await createTestApp({ env: { LIST_WINDOW: '10' } })
    await t.app.listen({ port: 0, host: '127.0.0.1' })
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`
    const create = async (key: string, body: object) =>
      (await t.http().post('/v1/assessments').set(bearer(key)).send(body).expect(201)).body.id as string
    ids.census = await create(t.keys.submitterA, census)
    await t
      .http()
      .post(`/v1/assessments/${ids.census}/override`)
      .set(bearer(t.keys.submitterA))
      .send({
        placement: 'hypervisor',
        reasonCode: 'vendor_support',
        reason: '공급사 계약 (vendor contract) until 2027',
      })
      .expect(201)
    // Model 1: contributions unrounded, the score rounded to one decimal.
    ids.banking = await create(t.keys.submitterA, { ...ledger('Online banking'), policyId: 'nirs-paper-v1' })
    ids.reevaluated = (
      await t
        .http()
        .post(`/v1/assessments/${ids.banking}/reevaluate`)
        .set(bearer(t.keys.submitterA))
        .expect(201)
    ).body.id
    ids.portal = await create(t.keys.submitterA, publicPortal('Grant portal'))
    ids.hostile = await create(t.keys.submitterA, ledger('<img src=x onerror="window.__pwned=1"> & co'))
    ids.orgB = await create(t.keys.submitterB, ledger('Org B payroll'))
    const batch = await t
      .http()
      .post('/v1/assessments/batch')
      .set(bearer(t.keys.submitterA))
      .send({
        items: Array.from({ length: 21 }, (_, i) =>
          publicPortal(`Inventory item ${String(i + 1).padStart(2, '0')}`),
        ),
      })
      .expect(200)
    expect(batch.body.results.every((r: Json) => r.status === 201)).toBe(true)
    browser = await launchBrowser()
  })

  afterEach(async () => {
    await Promise.all(open.splice(0).map((page) => page.context().close()))
  })

  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  /** A fresh tab (empty session storage), signed in with the key through the page's own form. */
  async function signedIn(path: string, key: string) {
    const context = await browser.newContext({
      viewport: { width: 1100, height: 900 },
      acceptDownloads: true,
    })
    // Well inside Jest's own limit, so that a wait that fails says which.
    context.setDefaultTimeout(10_000)
    const page = await context.newPage()
    open.push(page)
    const faults = watch(page, base)
    const sent: { url: string; authorization?: string }[] = []
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/v1/')) {
        sent.push({ url: request.url(), authorization: request.headers().authorization })
      }
    })
    await page.goto(`${base}${path}`)
    await page.locator('#api-key').fill(key)
    await page.locator('#key-form button[type=submit]').click()
    await page.locator('[data-field=caller]').waitFor()
    return { page, faults, sent }
  }

  const numberIn = async (page: Page, selector: string) =>
    Number(await page.locator(selector).first().innerText())

  /** The figures the report shows equal the API's, cell by cell, and the bars add up to the score. */
  async function expectFiguresOf(page: Page, decision: Json) {
    for (const platform of Object.keys(decision.scores)) {
      expect(await numberIn(page, `[data-field="score:${platform}"]`)).toBe(decision.scores[platform])
      for (const criterion of decision.criteria) {
        expect(await numberIn(page, `[data-field="rating:${criterion.name}:${platform}"]`)).toBe(
          criterion.scores[platform],
        )
        expect(await numberIn(page, `[data-field="contribution:${criterion.name}:${platform}"]`)).toBe(
          criterion.contributions[platform],
        )
      }
      // The chart: every segment is a contribution, and the drawn lengths add up to the score.
      const bar = await page.$$eval(`svg.chart rect.segment[data-platform="${platform}"]`, (rects) =>
        rects.map((r) => ({
          value: Number(r.getAttribute('data-value')),
          width: Number(r.getAttribute('width')),
        })),
      )
      const shown = decision.criteria.filter((c: Json) => c.contributions[platform] > 0)
      expect(bar.map((s) => s.value)).toEqual(shown.map((c: Json) => c.contributions[platform]))
      const sum = bar.reduce((total, s) => total + s.value, 0)
      const drawn = bar.reduce((total, s) => total + s.width, 0)
      const scale = await page.$eval('svg.chart', (svg) => {
        const ticks = [...svg.querySelectorAll('.axis line')].map((l) => Number(l.getAttribute('x1')))
        return ((ticks.at(-1) ?? 0) - (ticks[0] ?? 0)) / 100
      })
      // Model 2 shows contributions that add up exactly; model 1 rounds only the score (0.1).
      expect(Math.abs(sum - decision.scores[platform])).toBeLessThanOrEqual(
        decision.model === 2 ? 1e-9 : 0.05,
      )
      expect(Math.abs(drawn / scale - decision.scores[platform])).toBeLessThanOrEqual(0.05 + 1e-9)
      expect(
        Number(
          await page
            .locator(`svg.chart .bar[data-platform="${platform}"] .bar-total`)
            .getAttribute('data-score'),
        ),
      ).toBe(decision.scores[platform])
    }
    for (const criterion of decision.criteria) {
      expect(await numberIn(page, `[data-field="weight:${criterion.name}"]`)).toBe(criterion.weight)
      const flip =
        decision.sensitivity.find((s: Json) => s.criterion === criterion.name)?.flipsAtWeight ?? null
      const marks = page.locator(`svg.chart .weight[data-criterion="${criterion.name}"] .flip`)
      if (flip === null) expect(await marks.count()).toBe(0)
      else {
        expect(await numberIn(page, `[data-field="flip:${criterion.name}"]`)).toBe(flip)
        expect(Number(await marks.getAttribute('data-flip'))).toBe(flip)
      }
    }
    if (decision.margin !== null)
      expect(await numberIn(page, '[data-field=margin] [data-value]')).toBe(decision.margin)
    for (const rule of decision.rationale)
      await expect(page.locator('#rationale').innerText()).resolves.toContain(rule.message)
  }

  /** axe-core run in the page: its serious and critical violations, named by page. */
  async function seriousViolations(page: Page, name: string): Promise<Json[]> {
    await page.evaluate(AXE)
    const result = await page.evaluate(() =>
      (window as unknown as { axe: { run: (o: object) => Promise<Json> } }).axe.run({
        resultTypes: ['violations'],
      }),
    )
    return result.violations
      .filter((v: Json) => v.impact === 'serious' || v.impact === 'critical')
      .map((v: Json) => ({ page: name, id: v.id, nodes: v.nodes.slice(0, 3).map((n: Json) => n.target) }))
  }

  /** The font Chromium actually drew a node's text with (not a fallback box). */
  async function fontsOf(page: Page, selector: string) {
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('DOM.enable')
    await cdp.send('CSS.enable')
    const { root } = await cdp.send('DOM.getDocument')
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector })
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId })
    return fonts.map((f) => f.familyName)
  }

  test.each(['en', 'ko'])(
    'a report in %s: the API’s numbers, bars that add up, the reader’s language',
    async (language) => {
      for (const name of ['census', 'banking'] as const) {
        const { page, faults, sent } = await signedIn(
          `/reports/${ids[name]}?lang=${language}`,
          t.keys.submitterA,
        )
        await page.locator('article.report').waitFor()
        const decision = await api(`/v1/assessments/${ids[name]}`, t.keys.submitterA, language)
        expect(await page.getAttribute('html', 'lang')).toBe(language)
        expect(await page.locator('h1').innerText()).toBe(decision.application.name)
        await expectFiguresOf(page, decision)
        // The audit-log entry and the policy, as the API gives them.
        const proof = await api(`/v1/assessments/${ids[name]}/proof`, t.keys.submitterA)
        expect(await page.locator('[data-field=auditHash]').innerText()).toBe(proof.entry.hash)
        expect(await page.locator('[data-field=policy]').innerText()).toContain(`${decision.policy.id}`)
        expect(await page.locator('[data-field=time]').innerText()).toContain(decision.createdAt)
        for (const assumed of decision.assumed) {
          expect(await page.locator(`[data-assumed="${assumed}"]`).count()).toBe(1)
        }
        if (name === 'census') {
          expect(await page.locator('[data-field=interim]').innerText()).not.toBe('')
          expect(await page.locator('#overrides').innerText()).toContain(
            '공급사 계약 (vendor contract) until 2027',
          )
          expect(await page.locator('[data-field=finalPlacement]').count()).toBe(1)
        }
        if (language === 'ko') {
          expect(await page.locator('#summary-heading').innerText()).toBe('요약')
          const fonts = await fontsOf(page, '#summary-heading')
          expect(fonts.join(', ')).toMatch(/CJK|KR/)
        }
        // The key went only in the Authorization header, and nowhere the browser keeps it.
        expect(sent.length).toBeGreaterThanOrEqual(3)
        for (const request of sent) {
          expect(request.authorization).toBe(`Bearer ${t.keys.submitterA}`)
          expect(request.url).not.toContain(t.keys.submitterA)
        }
        expect(await page.evaluate(() => [document.cookie, localStorage.length])).toEqual(['', 0])
        await page.screenshot({ path: artefact(`report-${name}-${language}.png`), fullPage: true })
        expect(faults).toEqual([])
      }
    },
  )

  test('a submitter cannot open another org’s report; the page says so', async () => {
    await t.http().get(`/v1/assessments/${ids.census}`).set(bearer(t.keys.submitterB)).expect(404)
    const { page, faults } = await signedIn(`/reports/${ids.census}?lang=en`, t.keys.submitterB)
    await page.locator('[data-field=not-found]').waitFor()
    expect(await page.locator('article.report').count()).toBe(0)
    expect(await page.content()).not.toContain('Population census system')
    expect(faults).toEqual([])
    // Its own org's report opens.
    await page.goto(`${base}/reports/${ids.orgB}?lang=en`)
    await page.locator('article.report').waitFor()
    expect(await page.locator('h1').innerText()).toBe('Org B payroll')
  })

  test('a re-evaluation links the original and says what changed; the original says it is stale', async () => {
    const { page, faults } = await signedIn(`/reports/${ids.reevaluated}?lang=en`, t.keys.submitterA)
    await page.locator('article.report').waitFor()
    const decision = await api(`/v1/assessments/${ids.reevaluated}`, t.keys.submitterA)
    await expectFiguresOf(page, decision)
    expect(await page.locator('[data-field=supersedes] a').getAttribute('href')).toBe(
      `/reports/${ids.banking}?lang=en`,
    )
    const changes = await page.locator('#changes').innerText()
    expect(changes).toContain(`${decision.changes.policy.from.id} v${decision.changes.policy.from.version}`)
    expect(changes).toContain(`${decision.changes.policy.to.id} v${decision.changes.policy.to.version}`)
    await page.locator('[data-field=supersedes] a').click()
    await page.locator(`article.report`).waitFor()
    expect(new URL(page.url()).pathname).toBe(`/reports/${ids.banking}`)
    expect((await api(`/v1/assessments/${ids.banking}`, t.keys.submitterA)).stale).toBe(true)
    expect(await page.locator('[data-field=policy] .badge').innerText()).toMatch(/stale/)
    expect(faults).toEqual([])
  })

  test('a refused key is asked for again, and application names are shown as text, never run', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    open.push(page)
    const faults = watch(page, base)
    await page.goto(`${base}/reports/${ids.hostile}`)
    await page.locator('#api-key').fill('not-a-key')
    await page.locator('#key-form button[type=submit]').click()
    await page.locator('#key-form [role=alert]').waitFor()
    await page.locator('#api-key').fill(t.keys.submitterA)
    await page.locator('#key-form button[type=submit]').click()
    await page.locator('article.report').waitFor()
    expect(await page.locator('h1').innerText()).toBe('<img src=x onerror="window.__pwned=1"> & co')
    expect(await page.evaluate(() => [(window as unknown as Json).__pwned, document.images.length])).toEqual([
      undefined,
      0,
    ])
    expect(faults).toEqual([])
  })

  /** What the API answers an auditor for a descriptor, in Korean: what the what-if page must show. */
  const evaluatedInKorean = async (descriptor: unknown) =>
    (
      await t
        .http()
        .post('/v1/evaluate')
        .set(bearer(t.keys.auditor))
        .set('Accept-Language', 'ko')
        .send(descriptor as object)
        .expect(200)
    ).body

  test('what-if: a descriptor from a portal’s link, then the form, as the API evaluates it', async () => {
    const descriptor = publicPortal('Subsidy applications')
    const fragment = Buffer.from(JSON.stringify(descriptor)).toString('base64url')
    const { page, faults } = await signedIn(`/reports/what-if?lang=ko#descriptor=${fragment}`, t.keys.auditor)
    await page.locator('#result article.report').waitFor()
    const expected = await evaluatedInKorean(descriptor)
    await expectFiguresOf(page, expected)
    expect(await page.locator('[data-field=time]').innerText()).toContain('저장되지 않으며')
    expect(await page.locator('[data-field=auditHash]').count()).toBe(0)
    await page.screenshot({ path: artefact('what-if-ko.png'), fullPage: true })

    // The form: a mission-critical secret monolith with steady load goes to the hypervisor.
    await page.selectOption('#businessCriticality', 'mission_critical')
    await page.selectOption('#dataClassification', 'secret')
    await page.selectOption('#loadVariability', 'steady')
    await page.selectOption('#architecture', 'monolith')
    await page.locator('#what-if-form button[type=submit]').click()
    await page.locator('#result article.report[data-recommendation=hypervisor]').waitFor()
    const changed = {
      ...descriptor,
      characteristics: {
        ...descriptor.characteristics,
        businessCriticality: 'mission_critical',
        dataClassification: 'secret',
        loadVariability: 'steady',
        architecture: 'monolith',
      },
    }
    const evaluated = await evaluatedInKorean(changed)
    expect(evaluated.recommendation).toBe('hypervisor')
    await expectFiguresOf(page, evaluated)

    // A bad descriptor: the API's problem, field by field.
    await page.fill('#more', '{"peakToAverageRatio": 0}')
    await page.locator('#what-if-form button[type=submit]').click()
    await page.locator('#result [role=alert]').waitFor()
    expect(await page.locator('#result').innerText()).toContain('/characteristics/peakToAverageRatio')

    // A link whose descriptor is not a JSON object says so, and leaves the form to fill in.
    await page.goto(
      `${base}/reports/what-if?lang=en#descriptor=${Buffer.from('[1, 2]').toString('base64url')}`,
    )
    await page.locator('#result [role=alert]').waitFor()
    expect(await page.locator('#result').innerText()).toContain('could not be read')
    expect(await page.inputValue('#name')).toBe('')
    expect(faults).toEqual([])
  })

  test('history: a submitter’s own org, filters, cursor pages, links to reports, export', async () => {
    const { page, faults } = await signedIn('/history?lang=en', t.keys.submitterA)
    await page.locator('#results').waitFor()
    // A submitter has no org filter and no verify button: the API would refuse both.
    expect(await page.locator('#filter-org').count()).toBe(0)
    expect(await page.locator('#verify').count()).toBe(0)
    const first = await page.$$eval('#results tbody a', (links) =>
      links.map((a) => a.getAttribute('data-id')),
    )
    const api1 = await api('/v1/assessments?limit=20', t.keys.submitterA)
    expect(first).toEqual(api1.items.map((a: Json) => a.id))
    await page.screenshot({ path: artefact('history-en.png'), fullPage: true })

    await page.locator('[data-page=next]').click()
    await page.waitForFunction((id) => !document.querySelector(`#results a[data-id="${id}"]`), first[0])
    const second = await page.$$eval('#results tbody a', (links) =>
      links.map((a) => a.getAttribute('data-id')),
    )
    const api2 = await api(
      `/v1/assessments?limit=20&cursor=${encodeURIComponent(api1.nextCursor)}`,
      t.keys.submitterA,
    )
    expect(second).toEqual(api2.items.map((a: Json) => a.id))
    expect(second).not.toContain(ids.orgB)
    expect(new URL(page.url()).searchParams.get('cursor')).toBe(api1.nextCursor)
    await page.locator('[data-page=previous]').click()
    await page.locator(`#results a[data-id="${first[0]}"]`).waitFor()

    // Filters: the application substring and overridden, as the API reads them.
    await page.fill('#filter-application', 'CENSUS')
    await page.selectOption('#filter-overridden', 'true')
    await page.locator('#filters button[type=submit]').click()
    await page.waitForFunction(() => document.querySelectorAll('#results tbody tr').length === 1)
    expect(new URL(page.url()).searchParams.get('application')).toBe('CENSUS')
    await page.locator(`#results a[data-id="${ids.census}"]`).click()
    await page.locator('article.report').waitFor()
    expect(new URL(page.url()).pathname).toBe(`/reports/${ids.census}`)

    // Export, with the filters, as the service names the file.
    await page.goBack()
    await page.locator('#results').waitFor()
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-export=csv]').click(),
    ])
    expect(download.suggestedFilename()).toMatch(/^assessments-\d{4}-\d{2}-\d{2}\.csv$/)
    const csv = readFileSync((await download.path()) as string, 'utf8')
    expect(csv.trim().split('\n')).toHaveLength(2) // the header and the census row
    expect(csv).toContain('Population census system')
    expect(faults).toEqual([])
  })

  test('history: an auditor sees every org, filters by org, and verifies the audit log', async () => {
    const { page, faults } = await signedIn('/history?lang=ko', t.keys.auditor)
    await page.locator('#results').waitFor()
    await page.fill('#filter-org', 'org-b')
    await page.locator('#filters button[type=submit]').click()
    await page.locator(`#results a[data-id="${ids.orgB}"]`).waitFor()
    expect(await page.locator('#results tbody tr').count()).toBe(1)
    await page.locator('#verify').click()
    await page.locator('[data-field=verify-ok]').waitFor()
    const verified = await api('/v1/audit/verify', t.keys.auditor)
    expect(verified.ok).toBe(true)
    expect(await page.locator('[data-field=verify-ok]').innerText()).toContain(String(verified.checked))
    await page.screenshot({ path: artefact('history-ko.png'), fullPage: true })
    expect(faults).toEqual([])
  })

  test('history: a page that read its whole window without a match says so and goes on to older ones', async () => {
    // "us" (of "census"): too short for the name search, so each row is tested, ten a page. The
    // census is the oldest of 27: two pages read newer ones only.
    const { page, faults } = await signedIn('/history?lang=en&application=us', t.keys.auditor)
    for (const n of [1, 2]) {
      await page.locator('[data-field=page-number]', { hasText: `Page ${n}` }).waitFor()
      await page.locator('[data-field=no-results-yet]').waitFor()
      expect(await page.locator('[data-field=no-results]').count()).toBe(0)
      await page.locator('[data-page=next]').click()
    }
    await page.locator('[data-field=page-number]', { hasText: 'Page 3' }).waitFor()
    await page.locator(`#results a[data-id="${ids.census}"]`).waitFor()
    expect(await page.locator('#results tbody tr').count()).toBe(1)
    expect(await page.locator('[data-page=next]').count()).toBe(0)
    expect(faults).toEqual([])
  })

  test('a phone’s width: the pages wrap, only wide tables scroll on their own', async () => {
    for (const path of [`/reports/${ids.census}?lang=ko`, '/history?lang=en']) {
      const { page, faults } = await signedIn(path, t.keys.submitterA)
      await page.setViewportSize({ width: 360, height: 800 })
      await page.locator('article.report, #results').first().waitFor()
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      const wide = await page.evaluate(() =>
        [...document.querySelectorAll('body *')]
          .filter(
            (e) => !e.closest('.table-scroll') && e.getBoundingClientRect().right > window.innerWidth + 1,
          )
          .slice(0, 8)
          .map((e) => `${e.tagName}.${e.className} ${e.id} ${Math.round(e.getBoundingClientRect().right)}`),
      )
      expect({ path, overflow, wide }).toEqual({ path, overflow: 0, wide: [] })
      for (const svg of await page.locator('svg.chart').all()) {
        expect(await svg.evaluate((e) => e.getBoundingClientRect().width)).toBeLessThanOrEqual(360)
      }
      expect(faults).toEqual([])
    }
  })

  // Six pages, each loaded and run through axe-core: 19 s alone on a 2-core machine, and past
  // Jest's 30 s while the other worker ran its tests beside it (a clean-clone CI run): 90 s.
  test('accessibility: axe-core finds no serious or critical violation on any page', async () => {
    const pages: [string, string, string][] = [
      ['report en', `/reports/${ids.census}?lang=en`, 'article.report'],
      ['report ko', `/reports/${ids.census}?lang=ko`, 'article.report'],
      ['report model 1', `/reports/${ids.banking}?lang=en`, 'article.report'],
      [
        'what-if',
        `/reports/what-if?lang=en#descriptor=${Buffer.from(JSON.stringify(census)).toString('base64url')}`,
        '#result article.report',
      ],
      ['history', '/history?lang=ko', '#results'],
    ]
    const found: Json[] = []
    for (const [name, path, ready] of pages) {
      const { page } = await signedIn(path, t.keys.admin)
      await page.locator(ready).waitFor()
      found.push(...(await seriousViolations(page, name)))
    }
    // The key form too, before anyone signs in.
    const context = await browser.newContext()
    const page = await context.newPage()
    open.push(page)
    await page.goto(`${base}/history?lang=ko`)
    await page.locator('#api-key').waitFor()
    found.push(...(await seriousViolations(page, 'key form')))
    expect(found).toEqual([])
  }, 90_000)

  test('printed: A4, no navigation or buttons, nothing wider than the paper', async () => {
    for (const language of ['en', 'ko']) {
      const { page } = await signedIn(`/reports/${ids.census}?lang=${language}`, t.keys.submitterA)
      await page.locator('article.report').waitFor()
      await page.emulateMedia({ media: 'print' })
      for (const hidden of ['.site-header', 'nav', '.toolbar', '#session', 'button']) {
        expect({ hidden, visible: await page.locator(hidden).first().isVisible() }).toEqual({
          hidden,
          visible: false,
        })
      }
      expect(await page.locator('#scores svg.chart').isVisible()).toBe(true)
      // A4's printable width at 96 dpi: 210 mm less 2 x 12 mm margins.
      await page.setViewportSize({ width: Math.floor(((210 - 24) / 25.4) * 96), height: 1000 })
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      )
      expect(overflow).toBeLessThanOrEqual(0)
      // The decision at a glance (summary, scores) is on the first sheet: 297 mm less 2 x 14 mm.
      const firstSheet = ((297 - 28) / 25.4) * 96
      const scoresEnd = await page
        .locator('#scores')
        .evaluate((e) => e.getBoundingClientRect().bottom + window.scrollY)
      expect(scoresEnd).toBeLessThan(firstSheet)
      const pdf = await page.pdf({ path: artefact(`report-census-${language}.pdf`), preferCSSPageSize: true })
      const pages = pdf.toString('latin1').match(/\/Type\s*\/Page\b/g)?.length ?? 0
      expect(pages).toBeGreaterThanOrEqual(1)
      // The census case, every readiness blocker unanswered, is the longest report the paper's
      // cases make: four sheets, no table, chart or list item cut in two.
      expect(pages).toBeLessThanOrEqual(4)
    }
  })
})
