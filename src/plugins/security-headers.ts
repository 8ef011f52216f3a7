import type { ServerResponse } from 'node:http'
import cors from '@fastify/cors'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import helmet from 'helmet'

export interface SecurityHeadersOptions {
  /** Browser origins (portals) allowed to call the API from their pages; none by default. */
  corsOrigins: string[]
}

/**
 * Headers every answer carries: helmet's defaults (nosniff, frame and referrer policy, a
 * strict Content-Security-Policy), `Cache-Control: no-store` (assessments and keys' answers
 * must not sit in shared caches), and CORS for the portals named in configuration only.
 */
async function securityHeaders(app: FastifyInstance, options: SecurityHeadersOptions) {
  // helmet itself, built once. Its Fastify wrapper (@fastify/helmet) built a new helmet, and
  // parsed the Content-Security-Policy again, for every request: a few per cent of a request's
  // CPU (BENCHMARKS.md). No route here needs per-route options or nonces.
  const applyHeaders = helmet({
    contentSecurityPolicy: {
      // Agencies often serve internal tools over plain HTTP; upgrading would break them.
      directives: { upgradeInsecureRequests: null },
    },
  })
  app.addHook('onRequest', (request, reply, done) => {
    applyHeaders(request.raw, reply.raw as ServerResponse, (error?: unknown) =>
      done(error as Error | undefined),
    )
  })
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
  app.addHook('onSend', async (_request, reply) => {
    if (!reply.hasHeader('cache-control')) reply.header('Cache-Control', 'no-store')
  })
}

export default fp(securityHeaders, { name: 'security-headers' })
