import { existsSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'

/**
 * A real headless Chromium for the page tests: Debian's package (`apt-get install -y chromium
 * fonts-noto-cjk`; .ci/run installs it), never a browser a package downloads. Playwright gives
 * every launch a fresh, empty profile directory of its own.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Where screenshots and PDFs go: test-results/ (ignored by git) unless SCREENSHOTS_DIR says. */
export const ARTEFACTS = path.resolve(
  process.env.SCREENSHOTS_DIR ?? path.join(__dirname, '..', '..', 'test-results', 'screenshots'),
)

export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true
  process.stderr.write(
    `\nBrowser tests SKIPPED: no Chromium at ${CHROMIUM}. Install Debian's (apt-get install -y chromium fonts-noto-cjk) or set CHROMIUM_PATH.\n\n`,
  )
  return false
}

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTEFACTS, { recursive: true })
  return chromium.launch({
    executablePath: CHROMIUM,
    // Without the networking flags Chromium keeps calling hosts this network refuses.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

export const artefact = (name: string) => path.join(ARTEFACTS, name)

/**
 * What a page did that it must not: a script error, a Content-Security-Policy refusal, a file of
 * its own that did not load, or a request to any origin but the service's.
 */
export function watch(page: Page, origin: string): string[] {
  const faults: string[] = []
  page.on('pageerror', (error) => faults.push(`script error: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) {
      faults.push(`CSP: ${message.text()}`)
    }
  })
  page.on('request', (request) => {
    const url = request.url()
    if (!url.startsWith(`${origin}/`) && !url.startsWith('blob:') && !url.startsWith('data:')) {
      faults.push(`request to another origin: ${url}`)
    }
  })
  page.on('response', (response) => {
    const { pathname } = new URL(response.url())
    // The API's refusals are the page's business (it says them); its own files must all load.
    if (response.status() >= 400 && !pathname.startsWith('/v1/')) {
      faults.push(`${response.status()} for ${pathname}`)
    }
  })
  return faults
}
