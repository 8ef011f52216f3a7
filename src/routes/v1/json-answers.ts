import type { FastifyReply } from 'fastify'

/**
 * An answer the service wrote as JSON already (assessment-answers.ts): its headers set, and the
 * bytes or text for the handler to return, which Fastify sends as they are (a string or Buffer
 * with a content type is not serialized).
 *
 * Returned, not passed to `reply.send()` with the reply returned after it. An async handler that
 * resolves to the reply hands Fastify a thenable, and awaiting it ties the handler's end to the
 * response's: since answers are held to the end of their turn (turn-end-writes.ts), the response
 * has not ended by then, so Fastify attached end-of-stream listeners to every one (`eos`, a
 * microtask chain more) only to learn what the handler had already decided. BENCHMARKS.md, the
 * twentieth session.
 */
export function jsonAnswer<Answer>(reply: FastifyReply, language: string, json: Buffer | string): Answer {
  reply.header('Content-Language', language).type('application/json; charset=utf-8')
  // Typed as the route's answer (its response schema's, inferred where it is returned): the text
  // is that answer already written as JSON.
  return json as unknown as Answer
}
