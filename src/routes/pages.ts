import fastifyStatic from '@fastify/static'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { PAGE_ASSETS, type Page, pageShells } from '../pages/page-shell'
import { StringEnum } from '../schemas/common'
import { type Language, pickLanguage } from '../services/localize'
import { IdParams } from './v1/schemas'

const ASSET_NAME = /^\/[a-z][a-z0-9-]*\.(?:js|css)$/

/** `lang` picks the page's language; without it, the browser's Accept-Language does. */
const LanguageQuery = Type.Object(
  { lang: Type.Optional(StringEnum(['en', 'ko'] as const)) },
  // The history page keeps its filters in its address, for the page itself to read.
  { additionalProperties: true },
)

/**
 * The human view: a decision report per assessment, a what-if report, and a history browser.
 * Pages and their assets need no key (they hold no data) and are not API operations, so they
 * are left out of the OpenAPI document.
 */
const pages: FastifyPluginAsyncTypebox = async (app) => {
  // Documents a browser renders: helmet's full set, not the API's (security-headers.ts).
  app.addHook('onRequest', app.documentHeaders)
  const shell = pageShells()
  await app.register(fastifyStatic, {
    root: PAGE_ASSETS,
    prefix: '/assets/',
    index: false,
    list: false,
    // Only the flat list of scripts and the style sheet: anything else (a directory, a path that
    // climbs out) is a plain 404, like any unknown route.
    allowedPath: (pathName) => ASSET_NAME.test(pathName),
  })

  const send =
    (page: Page) => (request: FastifyRequest<{ Querystring: { lang?: Language } }>, reply: FastifyReply) => {
      const language = request.query.lang ?? pickLanguage(request.headers['accept-language'])
      return reply
        .type('text/html; charset=utf-8')
        .header('Content-Language', language)
        .header('Vary', 'Accept-Language')
        .send(shell(page, language))
    }

  const schema = { hide: true, querystring: LanguageQuery }
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/history', 303))
  app.get('/history', { schema }, send('history'))
  app.get('/reports/what-if', { schema }, send('what-if'))
  app.get('/reports/:id', { schema: { ...schema, params: IdParams } }, send('report'))
}

export default pages
