import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { Forbidden, Unauthorized } from '../errors'
import { type ApiKeyService, apiKeyService } from '../services/api-keys'
import type { Principal, Role } from '../services/principal'

declare module 'fastify' {
  interface FastifyInstance {
    apiKeys: ApiKeyService
    /** onRequest hook for protected scopes: authenticates, then checks the route's roles. */
    authenticate: (request: FastifyRequest) => Promise<void>
  }
  interface FastifyRequest {
    principal: Principal
  }
  interface FastifyContextConfig {
    /** Roles allowed on the route, and what the route does (for the 403 message). */
    access?: { roles: readonly Role[]; action: string }
  }
}

/** `Authorization: Bearer <key>`, the key captured. */
export const BEARER = /^Bearer +(\S+) *$/i

async function auth(app: FastifyInstance) {
  const keys = apiKeyService(app.store.apiKeys, { freshness: app.freshness })
  app.decorate('apiKeys', keys)
  app.decorateRequest('principal', null as unknown as Principal)

  app.decorate('authenticate', async (request: FastifyRequest) => {
    const match = BEARER.exec(request.headers.authorization ?? '')
    const principal = match?.[1] ? await keys.authenticate(match[1]) : null
    if (!principal) throw new Unauthorized()
    request.principal = principal
    request.log.debug({ keyId: principal.keyId, org: principal.org }, 'authenticated')
    const access = request.routeOptions.config.access
    if (access && !access.roles.includes(principal.role)) {
      throw new Forbidden(principal.role, access.action)
    }
  })
}

export default fp(auth, { name: 'auth', dependencies: ['store', 'freshness'] })
