import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { version } from '../../package.json'
import { completeDocument } from './openapi-document'

/**
 * The OpenAPI document is generated from the route schemas (openapi.yaml is a copy checked
 * for drift) and served with Swagger UI at /docs from the package's own files, so it works
 * offline.
 */
async function openapi(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Placement decision service',
        version,
        description:
          'Decides whether an application belongs on hypervisor virtual machines or on containers, ' +
          'explains why, and keeps every decision as audit history. Errors are RFC 9457 problem details.',
      },
      tags: [
        { name: 'assessments', description: 'Placement decisions' },
        { name: 'policies', description: 'Versioned decision policies' },
        {
          name: 'audit',
          description: 'The tamper-evident audit log: verification, checkpoints, events, proofs',
        },
        { name: 'keys', description: 'The API key that calls' },
        { name: 'operations', description: 'Liveness and readiness' },
      ],
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key.' } },
      },
    },
    transformObject: (documents) =>
      completeDocument(
        ('openapiObject' in documents ? documents.openapiObject : {}) as Record<string, unknown>,
      ),
    // Shared schemas keep their $id as their component name instead of def-0, def-1, ...
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  })
  // In a scope of its own: the UI is a document a browser renders, so it gets helmet's full set
  // (security-headers.ts); its own static CSP then replaces helmet's policy.
  await app.register(async (docs) => {
    docs.addHook('onRequest', app.documentHeaders)
    await docs.register(swaggerUi, {
      routePrefix: '/docs',
      staticCSP: true,
      // Agencies often serve this on an internal network over plain HTTP: upgrading the UI's own
      // asset requests to HTTPS would leave the page blank there.
      transformStaticCSP: (header) => header.replace(/\s*upgrade-insecure-requests;?/, ''),
      // No calls to the public swagger.io validator: the UI must work offline.
      uiConfig: { validatorUrl: null },
    })
  })
}

export default fp(openapi, { name: 'openapi', dependencies: ['security-headers'] })
