import type { FastifyReply } from 'fastify'

/**
 * An answer the service wrote as JSON already (assessment-answers.ts): bytes or text with a JSON
 * content type are sent as they are, not through the route's serializer.
 */
export function sendJson(reply: FastifyReply, language: string, json: Buffer | string) {
  return reply.header('Content-Language', language).type('application/json; charset=utf-8').send(json)
}
