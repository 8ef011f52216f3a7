import { NO_BLOCKERS, publicPortal } from '../fixtures/descriptors'
import { PAPER_CASES } from '../fixtures/paper-cases'
import { bearer, createTestApp, type TestApp } from '../helpers/app'

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(async () => t.close())

const census = PAPER_CASES.find((c) => c.descriptor.application.name === 'Population census system')
  ?.descriptor as (typeof PAPER_CASES)[number]['descriptor']
const monolithCensus = { ...census, characteristics: { ...census.characteristics, architecture: 'monolith' } }

describe('model 2 over HTTP', () => {
  test('a conflict, readiness and the transition come back in Korean, as stored', async () => {
    const body = {
      ...publicPortal(),
      characteristics: {
        ...publicPortal().characteristics,
        businessCriticality: 'mission_critical',
        dataClassification: 'public',
        peakToAverageRatio: 50,
        localState: 'unknown',
      },
    }
    const res = await t
      .http()
      .post('/v1/assessments')
      .set(bearer(t.keys.submitterA))
      .set('Accept-Language', 'ko')
      .send(body)
      .expect(201)
    expect(res.body).toMatchObject({
      model: 2,
      recommendation: 'hypervisor',
      target: 'hypervisor',
      scoreWinner: 'container',
      overruledBy: ['MISSION_CRITICAL_ISOLATION'],
      outcome: 'clear',
    })
    expect(res.body.conflicts[0].message).toMatch(/미션 크리티컬/)
    expect(res.body.alternative).toMatchObject({ platform: 'container', eligible: false })
    expect(res.body.alternative.requires).toMatch(/샌드박스/)
    const local = res.body.readiness.container.blockers.find(
      (b: { code: string }) => b.code === 'LOCAL_STATE',
    )
    expect(local).toMatchObject({ status: 'unanswered', verdict: 'unknown' })
    expect(local.message).toMatch(/^답변 없음: localState\./)
    const read = await t
      .http()
      .get(`/v1/assessments/${res.body.id}`)
      .set(bearer(t.keys.submitterA))
      .set('Accept-Language', 'ko')
      .expect(200)
    expect(read.body).toEqual({ ...res.body })
  })

  test('a blocker answer outside yes, no and unknown is a 400 naming it', async () => {
    const res = await t
      .http()
      .post('/v1/evaluate')
      .set(bearer(t.keys.auditor))
      .send({
        ...publicPortal(),
        characteristics: { ...publicPortal().characteristics, specialHardware: 'maybe' },
      })
      .expect(400)
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        path: '/characteristics/specialHardware',
        message: expect.stringContaining('yes'),
      }),
    ])
  })

  test('re-evaluating a first-model assessment under model 2 says what changed', async () => {
    const old = await t
      .http()
      .post('/v1/assessments')
      .set(bearer(t.keys.submitterA))
      .send({ ...monolithCensus, policyId: 'nirs-paper-v1' })
      .expect(201)
    expect(old.body.recommendation).toBe('hypervisor')
    expect(old.body.model).toBeUndefined()
    const res = await t
      .http()
      .post(`/v1/assessments/${old.body.id}/reevaluate`)
      .set(bearer(t.keys.submitterA))
      .send()
      .expect(201)
    expect(res.body).toMatchObject({
      policy: { id: 'nirs-paper-v2' },
      target: 'container',
      interim: 'hypervisor',
    })
    expect(res.body.changes).toMatchObject({
      recommendation: { from: 'hypervisor', to: 'container' },
      outcome: { from: null, to: 'clear' },
      interim: { from: null, to: 'hypervisor' },
      readiness: { hypervisor: { from: null, to: 'unknown' }, container: { from: null, to: 'unknown' } },
    })
  })

  test('a policy shows where each of its numbers comes from', async () => {
    const res = await t.http().get('/v1/policies/nirs-paper-v2').set(bearer(t.keys.submitterA)).expect(200)
    expect(res.body).toMatchObject({ model: 2, active: true, builtIn: true })
    expect(res.body.sources.PAPER_PROPOSAL_MISSION_CRITICAL.passage).toMatch(/미션 크리티컬/)
    expect(res.body.gates[0].source).toContain('PAPER_PROPOSAL_MISSION_CRITICAL')
    expect(res.body.ratingSources.container.security).toContain('PAPER_CONTAINER_RISKS')
    expect(res.body.readiness.map((c: { code: string }) => c.code)).toContain('SPECIAL_HARDWARE')
    expect(res.body.transition.interimFrom).toBe('refactor')
  })

  test('every blocker answered no gives a clear, high-confidence answer', async () => {
    const res = await t
      .http()
      .post('/v1/evaluate')
      .set(bearer(t.keys.auditor))
      .send({
        ...census,
        characteristics: {
          ...census.characteristics,
          ...NO_BLOCKERS,
          operatingSystem: 'linux',
          requiresKernelCustomization: false,
        },
      })
      .expect(200)
    expect(res.body).toMatchObject({ recommendation: 'container', confidence: 'high', outcome: 'clear' })
  })
})
