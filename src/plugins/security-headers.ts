import type { IncomingMessage, ServerResponse } from 'node:http'
import cors from '@fastify/cors'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import helmet from 'helmet'

export interface SecurityHeadersOptions {
  /** Browser origins (portals) allowed to call the API from their pages; none by default. */
  corsOrigins: string[]
}

/**
 * helmet's headers, worked out once. helmet writes them on the raw response with `setHeader`, a
 * dozen calls a request, and a raw header sends Node's `writeHead` down its slow path (each of
 * Fastify's headers set again one by one): 5 % of an evaluate's CPU (BENCHMARKS.md). Nothing here
 * depends on the request (no nonces, no per-route options), so they are captured from one run of
 * helmet and handed to Fastify's own header store for each answer. (Its Fastify wrapper,
 * @fastify/helmet, even built a new helmet and parsed the policy again for every request.)
 */
function helmetHeaders(): Record<string, string> {
  const applyHeaders = helmet({
    contentSecurityPolicy: {
      // Agencies often serve internal tools over plain HTTP; upgrading would break them.
      directives: { upgradeInsecureRequests: null },
    },
  })
  const headers: Record<string, string> = {}
  const capture = {
    setHeader: (name: string, value: unknown) => {
      headers[name] = String(value)
    },
    removeHeader: (name: string) => {
      delete headers[name]
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
 * Headers every answer carries: helmet's defaults (nosniff, frame and referrer policy, a
 * strict Content-Security-Policy), `Cache-Control: no-store` (assessments and keys' answers
 * must not sit in shared caches), and CORS for the portals named in configuration only.
 */
async function securityHeaders(app: FastifyInstance, options: SecurityHeadersOptions) {
  // no-store goes with them from the start; a route (or the asset server) that sets its own
  // Cache-Control replaces it. Checking for one when sending cost every answer a hook of its own.
  const headers = { ...helmetHeaders(), 'cache-control': 'no-store' }
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers)
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
