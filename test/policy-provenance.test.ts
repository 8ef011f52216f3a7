import { readFileSync } from 'node:fs'
import path from 'node:path'
import { renderReadme } from '../scripts/policy-doc'
import { BUILT_IN_POLICIES } from '../src/services/policies'

const modelTwo = BUILT_IN_POLICIES.filter((p) => p.model === 2)

describe('provenance of the built-in model-2 policies', () => {
  test.each(modelTwo.map((p) => [p.id, p] as const))(
    '%s: every number and rule says where it comes from',
    (_id, p) => {
      const sources = p.sources ?? {}
      const cited: string[][] = [
        ...p.criteria.map((c) => c.source ?? []),
        ...p.rules.map((r) => r.source ?? []),
        ...(p.readiness ?? []).map((c) => c.source ?? []),
        ...(p.gates ?? []).map((g) => g.source ?? []),
        p.transition?.source ?? [],
        p.confidence.source ?? [],
        ...p.platforms.flatMap((platform) =>
          p.criteria.map((c) => p.ratingSources?.[platform]?.[c.name] ?? []),
        ),
      ]
      for (const refs of cited) {
        expect(refs.length).toBeGreaterThan(0)
        for (const ref of refs) expect(Object.keys(sources)).toContain(ref)
      }
      for (const source of Object.values(sources)) {
        if (source.kind !== 'paper') continue
        // The paper's own words, in Korean, with where they stand and an English gloss.
        expect(source.passage).toMatch(/[가-힣]/)
        expect(source.section).toBeTruthy()
        expect(source.gloss).toMatch(/[a-z]/)
      }
      expect(new Set(Object.values(sources).map((s) => s.kind))).toEqual(
        new Set(['paper', 'practice', 'assumption']),
      )
    },
  )
})

describe('README.md', () => {
  test('its model section is generated from the default policy’s data (run `npm run docs:policy`)', () => {
    const readme = readFileSync(path.resolve(__dirname, '..', 'README.md'), 'utf8')
    expect(renderReadme(readme)).toBe(readme)
  })
})
