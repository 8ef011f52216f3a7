import { readFileSync } from 'node:fs'
import path from 'node:path'
import { publicPortal } from '../fixtures/descriptors'
import { bearer, createTestApp, type TestApp } from '../helpers/app'

// The README walks through examples/policy.json: it must stay a policy the service accepts.
const example = JSON.parse(
  readFileSync(path.resolve(__dirname, '..', '..', 'examples', 'policy.json'), 'utf8'),
)

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(async () => t.close())

test('the documented example policy is accepted, activated and decides', async () => {
  const created = await t.http().post('/v1/policies').set(bearer(t.keys.admin)).send(example).expect(201)
  expect(created.body).toMatchObject({ id: 'agency-2027-v1', version: 1, active: false })
  await t.http().post('/v1/policies/agency-2027-v1/activate').set(bearer(t.keys.admin)).expect(200)
  const res = await t
    .http()
    .post('/v1/evaluate')
    .set(bearer(t.keys.submitterA))
    .send(publicPortal())
    .expect(200)
  expect(res.body.policy).toEqual({ id: 'agency-2027-v1', version: 1 })
  expect(res.body.recommendation).toBe('sandboxed_container')
  // Windows container nodes, stated in the policy: a Windows service can go to plain containers.
  const windows = {
    ...publicPortal(),
    characteristics: { ...publicPortal().characteristics, operatingSystem: 'windows' },
  }
  const onWindows = await t
    .http()
    .post('/v1/evaluate')
    .set(bearer(t.keys.submitterA))
    .send(windows)
    .expect(200)
  expect(onWindows.body.recommendation).toBe('container')
  expect(onWindows.body.readiness.sandboxed_container.verdict).toBe('not_ready')
})
