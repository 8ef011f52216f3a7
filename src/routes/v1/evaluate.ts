import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { FastifyReply } from 'fastify'
import { EvaluationSchema } from '../../schemas/decision'
import { DescriptorSchema } from '../../schemas/descriptor'
import { problemResponses } from '../../schemas/problem'
import { evaluationJson } from '../../services/assessment-answers'
import { pickLanguage } from '../../services/localize'
import { jsonAnswer } from './json-answers'
import { AcceptLanguageHeaders, security } from './schemas'

const evaluate: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/evaluate',
    {
      schema: {
        operationId: 'evaluate',
        tags: ['assessments'],
        summary: 'Decide a placement without storing it (what-if)',
        security,
        headers: AcceptLanguageHeaders,
        body: Type.Ref(DescriptorSchema),
        response: { 200: Type.Ref(EvaluationSchema), ...problemResponses(400, 401, 413, 415) },
      },
    },
    async (request, reply) => {
      const decision = await app.assessments.evaluate(request.body)
      const language = pickLanguage(request.headers['accept-language'])
      return jsonAnswer(reply as FastifyReply, language, evaluationJson(decision, language))
    },
  )
}

export default evaluate
