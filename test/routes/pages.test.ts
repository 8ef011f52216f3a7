import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { DOCUMENT_HEADERS } from '../../src/plugins/security-headers'
import { bearer, createTestApp, type TestApp } from '../helpers/app'

const PAGES = ['/history', '/reports/what-if', '/reports/0199a000-0000-7000-8000-000000000000']
const PAGE_DIR = path.resolve(__dirname, '..', '..', 'src', 'pages')

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => t.close())

describe('the pages: served by the service, in the reader’s language', () => {
  test.each(PAGES)('%s: HTML in the language asked for, with helmet’s document CSP', async (page) => {
    for (const [query, acceptLanguage, expected] of [
      ['?lang=ko', undefined, 'ko'],
      ['?lang=en', 'ko', 'en'],
      ['', 'ko-KR,ko;q=0.9,en;q=0.8', 'ko'],
      ['', undefined, 'en'],
    ] as const) {
      const request = t.http().get(`${page}${query}`)
      if (acceptLanguage) request.set('Accept-Language', acceptLanguage)
      const res = await request.expect(200)
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
      expect(res.headers['content-language']).toBe(expected)
      expect(res.text).toMatch(new RegExp(`^<!doctype html>\\n<html lang="${expected}">`))
      // helmet's default policy for documents (security-headers.ts), nothing loosened for the pages.
      expect(res.headers['content-security-policy']).toBe(DOCUMENT_HEADERS['content-security-policy'])
      expect(res.headers['content-security-policy']).toContain("script-src 'self'")
      expect(res.headers['content-security-policy']).toContain("script-src-attr 'none'")
      expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)/) // no inline script
      expect(res.text).not.toMatch(/\son[a-z]+=/i) // no inline event handler
    }
  })

  test('the shell carries no data and needs no key; a bad language is a problem', async () => {
    const res = await t.http().get('/history?lang=ko&application=bank').expect(200)
    expect(res.text).toContain('평가 이력')
    const bad = await t.http().get('/history?lang=fr').expect(400)
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(bad.body.errors[0].path).toBe('/lang')
    await t.http().get('/').expect(303).expect('Location', '/history')
  })

  test('every asset a page or an asset refers to is served, with its type', async () => {
    const shell = (await t.http().get('/reports/what-if')).text
    const referred = new Set(
      [...shell.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1] as string),
    )
    for (const file of readdirSync(path.join(PAGE_DIR, 'assets'))) {
      const text = readFileSync(path.join(PAGE_DIR, 'assets', file), 'utf8')
      for (const m of text.matchAll(/from '\.\/([\w-]+\.js)'/g)) referred.add(`/assets/${m[1]}`)
    }
    for (const page of ['report', 'what-if', 'history']) referred.add(`/assets/${page}.js`)
    expect(referred.size).toBeGreaterThanOrEqual(8)
    for (const asset of referred) {
      const res = await t.http().get(asset)
      expect({ asset, status: res.status }).toEqual({ asset, status: 200 })
      expect(res.headers['content-type']).toMatch(
        asset.endsWith('.css') ? /^text\/css/ : /^(application|text)\/javascript/,
      )
      expect(res.headers['content-security-policy']).toBeDefined()
    }
    await t.http().get('/assets/nothing.js').expect(404)
    for (const outside of [
      '/assets/../page-shell.ts',
      '/assets/%2e%2e/page-shell.ts',
      '/assets/',
      '/assets/templates',
    ]) {
      const res = await t.http().get(outside).expect(404)
      expect(res.body.type).toBe('urn:placement:problem:not-found')
    }
  })

  test('offline: no template or asset names another origin', () => {
    for (const dir of ['assets', 'templates']) {
      for (const file of readdirSync(path.join(PAGE_DIR, dir))) {
        const text = readFileSync(path.join(PAGE_DIR, dir, file), 'utf8')
        // The SVG namespace is a name, not a request.
        const origins = [...text.matchAll(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/gi)]
          .map((m) => m[0])
          .filter((url) => url !== 'http://www.w3.org')
        expect({ file, origins }).toEqual({ file, origins: [] })
        expect({ file, imports: /@import|url\(/.test(text) }).toEqual({ file, imports: false })
      }
    }
  })
})

describe('GET /v1/me', () => {
  test('names the calling key’s org and role, never its secret', async () => {
    for (const [key, org, role] of [
      [t.keys.submitterA, 'org-a', 'submitter'],
      [t.keys.auditor, 'audit-office', 'auditor'],
      [t.keys.admin, 'nirs', 'admin'],
    ] as const) {
      const res = await t.http().get('/v1/me').set(bearer(key)).expect(200)
      expect(res.body).toEqual({ keyId: expect.any(String), org, role })
      expect(JSON.stringify(res.body)).not.toContain(key)
    }
    const none = await t.http().get('/v1/me').expect(401)
    expect(none.headers['content-type']).toMatch(/^application\/problem\+json/)
  })
})
