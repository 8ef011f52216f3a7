import type { IncomingMessage, ServerResponse } from 'node:http'
import cors from '@fastify/cors'
import type { FastifyInstance, onRequestHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import helmet, { type HelmetOptions } from 'helmet'

export interface SecurityHeadersOptions {
  /** Browser origins (portals) allowed to call the API from their pages; none by default. */
  corsOrigins: string[]
}

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * onRequest hook for the scopes that serve documents a browser renders (the pages, Swagger
     * UI): helmet's full set in place of the API's.
     */
    documentHeaders: onRequestHookHandler
  }
}

/**
 * helmet's headers for the given options, worked out once. helmet writes them on the raw
 * response with `setHeader`, a dozen calls a request, and a raw header sends Node's `writeHead`
 * down its slow path (each of Fastify's headers set again one by one): 5 % of an evaluate's CPU
 * (BENCHMARKS.md). Nothing here depends on the request (no nonces, no per-route options), so
 * they are captured from one run of helmet and handed to Fastify's own header store for each
 * answer. (Its Fastify wrapper, @fastify/helmet, even built a new helmet and parsed the policy
 * again for every request.)
 */
function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const applyHeaders = helmet(options)
  const headers: Record<string, string> = {}
  const capture = {
    setHeader: (name: string, value: unknown) => {
      headers[name.toLowerCase()] = String(value)
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()]
    },
  }
  let ran = false
  applyHeaders({} as IncomingMessage, capture as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error
    ran = true
  })
  // helmet calls back synchronously; should a release stop doing so, fail at start, not silently.
  if (!ran) throw new Error('helmet did not apply its headers synchronously')
  return headers
}

/**
 * What a JSON (or NDJSON, CSV) answer carries: the set OWASP's REST Security Cheat Sheet names
 * for API responses, from helmet with the document-only headers turned off. A browser never
 * renders these answers as a page (nosniff, and they are not HTML), and a key travels in the
 * Authorization header, never as a cookie a cross-origin page could make a browser send, so the
 * headers that govern a document's own loading, windows and embedding (COOP, CORP,
 * Origin-Agent-Cluster, DNS prefetch, IE's download and XSS switches, Flash's cross-domain
 * policies) protect nothing here. Each header is written and validated for every answer, about
 * a microsecond apiece: without the seven, side by side, a read used 6 % less CPU and an
 * evaluation 7 % less (BENCHMARKS.md, the fifteenth session). The policy is stricter than the
 * pages': an answer may load nothing and be framed by nothing.
 */
export const API_HEADERS: Readonly<Record<string, string>> = {
  ...helmetHeaders({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
    crossOriginOpenerPolicy: false,
    crossOriginResourcePolicy: false,
    originAgentCluster: false,
    referrerPolicy: { policy: 'no-referrer' },
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xFrameOptions: { action: 'deny' },
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  }),
  // Assessments' and keys' answers must not sit in any cache.
  'cache-control': 'no-store',
}

/**
 * What a page a browser renders carries: helmet's defaults (a Content-Security-Policy that lets
 * the page load its own scripts and styles and nothing else, its window and embedding policies).
 */
export const DOCUMENT_HEADERS: Readonly<Record<string, string>> = {
  ...helmetHeaders({
    contentSecurityPolicy: {
      // Agencies often serve internal tools over plain HTTP; upgrading would break them.
      directives: { upgradeInsecureRequests: null },
    },
  }),
  'cache-control': 'no-store',
}

/**
 * Every answer gets the API's headers when its request starts (so errors, unknown routes and
 * refusals carry them too); the page and documentation scopes add `documentHeaders`, which
 * replaces them with the document set (every API header's name is in it). CORS for the portals
 * named in configuration only.
 */
async function securityHeaders(app: FastifyInstance, options: SecurityHeadersOptions) {
  // no-store goes with them from the start; a route (or the asset server) that sets its own
  // Cache-Control replaces it. Checking for one when sending cost every answer a hook of its own.
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(API_HEADERS)
    done()
  })
  app.decorate('documentHeaders', (_request, reply, done) => {
    reply.headers(DOCUMENT_HEADERS)
    done()
  })
  // None listed: no CORS at all (no grant, and a preflight is an unknown route), rather than a
  // check and a refusal on every request, which cost a small request a tenth of its CPU
  // (BENCHMARKS.md, the sixth session).
  if (options.corsOrigins.length === 0) return
  // A preflight from an origin not listed gets an answer without Access-Control-Allow-Origin,
  // which the browser treats as a refusal; a listed portal may send the key and a JSON body.
  await app.register(cors, {
    origin: options.corsOrigins,
    methods: ['GET', 'POST'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
    exposedHeaders: [
      'Location',
      'X-Request-Id',
      'Retry-After',
      'RateLimit-Limit',
      'RateLimit-Remaining',
      'RateLimit-Reset',
      'Content-Disposition',
    ],
    maxAge: 600,
  })
}

export default fp(securityHeaders, { name: 'security-headers' })
