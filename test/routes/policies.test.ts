import { ledger, publicPortal } from '../fixtures/descriptors'
import { tinyPolicy } from '../fixtures/policies'
import { bearer, createTestApp, type TestApp } from '../helpers/app'

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(async () => t.close())

const createPolicy = (body: object, key = t.keys.admin) =>
  t.http().post('/v1/policies').set(bearer(key)).send(body)
const activate = (id: string, key = t.keys.admin) =>
  t.http().post(`/v1/policies/${id}/activate`).set(bearer(key)).send()

describe('GET /v1/policies', () => {
  test.each(['submitterA', 'auditor', 'admin'] as const)(
    '%s sees the built-in policies; the paper’s model 2 is active',
    async (who) => {
      const res = await t.http().get('/v1/policies').set(bearer(t.keys[who])).expect(200)
      expect(res.body.items).toEqual([
        expect.objectContaining({
          id: 'nirs-paper-v1',
          name: 'nirs-paper',
          version: 1,
          active: false,
          builtIn: true,
          platforms: ['hypervisor', 'container'],
        }),
        expect.objectContaining({ id: 'nirs-paper-v2', name: 'nirs-paper', version: 2, active: true }),
        expect.objectContaining({
          id: 'nirs-paper-sandboxed-v1',
          active: false,
          platforms: ['hypervisor', 'container', 'sandboxed_container'],
        }),
        expect.objectContaining({ id: 'nirs-paper-sandboxed-v2', active: false }),
      ])
      expect(res.body.items[0].description).toContain('Kim, Lee and Lee')
    },
  )

  test('GET /v1/policies/{id} gives everything the policy decides by; unknown ids are 404', async () => {
    const res = await t.http().get('/v1/policies/nirs-paper-v1').set(bearer(t.keys.auditor)).expect(200)
    expect(res.body).toMatchObject({ id: 'nirs-paper-v1', version: 1, active: false })
    expect(res.body.ratings.hypervisor).toEqual({
      stability: 90,
      security: 90,
      elasticity: 45,
      migrationCost: 90,
    })
    expect(res.body.rules.map((r: { code: string }) => r.code)).toContain('MISSION_CRITICAL')
    expect(res.body.constraints.map((c: { code: string }) => c.code)).toEqual([
      'NON_LINUX_OS',
      'KERNEL_CUSTOMIZATION',
    ])
    await t.http().get('/v1/policies/nope-v9').set(bearer(t.keys.auditor)).expect(404)
    await t.http().get('/v1/policies').expect(401)
  })
})

describe('POST /v1/policies', () => {
  test('an admin creates versions: each name counts its own versions, none is active until activated', async () => {
    const first = await createPolicy(tinyPolicy('tiny')).expect(201)
    expect(first.headers.location).toBe('/v1/policies/tiny-v1')
    expect(first.body).toMatchObject({
      id: 'tiny-v1',
      name: 'tiny',
      version: 1,
      active: false,
      builtIn: false,
    })
    const second = await createPolicy({ ...tinyPolicy('tiny'), description: 'Second thoughts.' }).expect(201)
    expect(second.body).toMatchObject({ id: 'tiny-v2', version: 2 })
    // A new version of a built-in policy's name follows the built-in's version.
    const paper = (await t.http().get('/v1/policies/nirs-paper-v2').set(bearer(t.keys.admin))).body
    const { id, version, active, builtIn, createdAt, ...definition } = paper
    const next = await createPolicy({ ...definition, description: 'After the incident review.' }).expect(201)
    expect(next.body).toMatchObject({ id: 'nirs-paper-v3', version: 3, active: false, model: 2 })
    // What GET shows of a built-in policy, provenance included, is a policy one can post back.
    expect(next.body.sources).toEqual(paper.sources)
    expect(next.body.readiness).toEqual(paper.readiness)
    // Versions are immutable: the first one reads as it was created.
    const again = await t.http().get('/v1/policies/tiny-v1').set(bearer(t.keys.admin)).expect(200)
    expect(again.body.description).toBe('A hand-checkable policy for tests.')
  })

  test('versions created at once by two requests get distinct numbers', async () => {
    const results = await Promise.all(Array.from({ length: 4 }, () => createPolicy(tinyPolicy('race'))))
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201])
    expect(results.map((r) => r.body.version).sort()).toEqual([1, 2, 3, 4])
  })

  test.each(['submitterA', 'auditor'] as const)(
    '%s may not create or activate policies (403)',
    async (who) => {
      await createPolicy(tinyPolicy(), t.keys[who]).expect(403)
      await activate('nirs-paper-sandboxed-v1', t.keys[who]).expect(403)
    },
  )

  test('a policy that fails the schema is a 400 naming each path', async () => {
    const bad = {
      ...tinyPolicy(),
      criteria: [{ name: 'safety', baseWeight: -1 }],
      platforms: ['vm'],
      extra: true,
    }
    const res = await createPolicy(bad).expect(400)
    const paths = res.body.errors.map((e: { path: string }) => e.path)
    expect(paths).toEqual(expect.arrayContaining(['/criteria/0/baseWeight', '/platforms', '/extra']))
  })

  test('an inconsistent policy is a 400 naming each problem', async () => {
    const policy = tinyPolicy()
    delete (policy.ratings.ct as Record<string, number>).speed
    ;(policy.constraints[0] as { exclude: string[] }).exclude = ['bare-metal']
    const res = await createPolicy(policy).expect(400)
    expect(res.body.type).toBe('urn:placement:problem:validation-failed')
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { path: '/ratings/ct/speed', message: 'is required' },
        { path: '/constraints/0/exclude/0', message: 'is not a platform of this policy' },
      ]),
    )
    const list = await t.http().get('/v1/policies').set(bearer(t.keys.admin)).expect(200)
    expect(list.body.items).toHaveLength(4)
  })
})

describe('activation and decisions under each policy', () => {
  test('new decisions use the active policy; old ones keep theirs and are marked stale', async () => {
    const before = await t
      .http()
      .post('/v1/assessments')
      .set(bearer(t.keys.submitterA))
      .send(publicPortal())
      .expect(201)
    expect(before.body.policy).toEqual({ id: 'nirs-paper-v2', version: 2 })

    await createPolicy(tinyPolicy()).expect(201)
    const activated = await activate('tiny-v1').expect(200)
    expect(activated.body).toMatchObject({ id: 'tiny-v1', active: true })
    const list = await t.http().get('/v1/policies').set(bearer(t.keys.auditor)).expect(200)
    expect(
      list.body.items.filter((p: { active: boolean }) => p.active).map((p: { id: string }) => p.id),
    ).toEqual(['tiny-v1'])

    const after = await t
      .http()
      .post('/v1/assessments')
      .set(bearer(t.keys.submitterA))
      .send(publicPortal())
      .expect(201)
    expect(after.body.policy).toEqual({ id: 'tiny-v1', version: 1 })
    // The tiny policy's platforms (an assessment answers as it is stored, keys in canonical order).
    expect(Object.keys(after.body.scores)).toEqual(['ct', 'vm'])
    expect(after.body.stale).toBe(false)

    // The old decision reads exactly as made, and says that its policy is no longer active.
    const reread = await t
      .http()
      .get(`/v1/assessments/${before.body.id}`)
      .set(bearer(t.keys.auditor))
      .expect(200)
    const { stale, ...rest } = reread.body
    const { stale: staleBefore, ...original } = before.body
    expect(rest).toEqual(original)
    expect(stale).toBe(true)
    const policyOfOld = await t
      .http()
      .get(`/v1/policies/${reread.body.policy.id}`)
      .set(bearer(t.keys.auditor))
      .expect(200)
    expect(policyOfOld.body).toMatchObject({ id: 'nirs-paper-v2', active: false })

    const ids = async (query: Record<string, string>) =>
      (
        await t.http().get('/v1/assessments').query(query).set(bearer(t.keys.auditor)).expect(200)
      ).body.items.map((i: { id: string }) => i.id)
    expect(await ids({ stale: 'true' })).toEqual([before.body.id])
    expect(await ids({ stale: 'false' })).toEqual([after.body.id])
    expect(await ids({ policyId: 'nirs-paper-v2' })).toEqual([before.body.id])
    expect(await ids({ policyId: 'nirs-paper-v2', stale: 'false' })).toEqual([])
    expect(await ids({ policyVersion: '1' })).toEqual([after.body.id])
    expect(await ids({ policyVersion: '2' })).toEqual([before.body.id])

    // Activating the paper's policy again makes it current once more.
    await activate('nirs-paper-v2').expect(200)
    expect(await ids({ stale: 'true' })).toEqual([after.body.id])
  })

  test('activating an unknown policy is a 404', async () => {
    await activate('nope-v1').expect(404)
  })

  test('sensitivity over HTTP matches the hand calculation', async () => {
    await createPolicy(tinyPolicy()).expect(201)
    const steady = {
      ...publicPortal(),
      characteristics: { ...publicPortal().characteristics, loadVariability: 'steady' },
      policyId: 'tiny-v1',
    }
    const res = await t.http().post('/v1/evaluate').set(bearer(t.keys.auditor)).send(steady).expect(200)
    expect(res.body.scores).toEqual({ vm: 77.5, ct: 70 })
    expect(res.body.margin).toBe(7.5)
    expect(res.body.confidence).toBe('medium')
    expect(res.body.sensitivity).toEqual([
      { criterion: 'safety', flipsAtWeight: 0.6667 },
      { criterion: 'speed', flipsAtWeight: 0.3333 },
    ])
    expect(res.body.criteria).toEqual([
      { name: 'safety', weight: 0.75, scores: { vm: 90, ct: 60 }, contributions: { vm: 67.5, ct: 45 } },
      { name: 'speed', weight: 0.25, scores: { vm: 40, ct: 100 }, contributions: { vm: 10, ct: 25 } },
    ])
    // With extreme load the SPIKY rule lifts speed to 4/7: ct = (3 x 60 + 4 x 100) / 7 = 82.9, vm = 61.4.
    const spiky = await t
      .http()
      .post('/v1/evaluate')
      .set(bearer(t.keys.auditor))
      .send({ ...steady, characteristics: { ...steady.characteristics, loadVariability: 'extreme' } })
      .expect(200)
    expect(spiky.body.scores).toEqual({ vm: 61.4, ct: 82.9 })
    expect(spiky.body.recommendation).toBe('ct')
    expect(spiky.body.rationale.map((r: { code: string }) => r.code)).toContain('SPIKY')
    expect(spiky.body.counterfactuals).toContainEqual(
      expect.objectContaining({ field: 'loadVariability', value: 'high', recommendation: 'vm' }),
    )
  })

  test('the sandboxed policy can be named per request without being active', async () => {
    const body = {
      ...ledger(),
      characteristics: {
        ...publicPortal().characteristics,
        dataClassification: 'confidential',
        businessCriticality: 'high',
      },
      policyId: 'nirs-paper-sandboxed-v1',
    }
    const res = await t.http().post('/v1/assessments').set(bearer(t.keys.submitterA)).send(body).expect(201)
    expect(res.body.recommendation).toBe('sandboxed_container')
    expect(res.body.stale).toBe(true)
  })
})
