import cors from '@fastify/cors'
import helmet from '@fastify/helmet'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

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
  await app.register(helmet, {
    contentSecurityPolicy: {
      // Agencies often serve internal tools over plain HTTP; upgrading would break them.
      directives: { upgradeInsecureRequests: null },
    },
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
