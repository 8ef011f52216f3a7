import { readFileSync } from 'node:fs'
import path from 'node:path'
import { decide } from '../../src/domain/engine'
import { canonicalJson } from '../../src/lib/canonical-json'
import { sha256Hex } from '../../src/lib/crypto'
import type { Descriptor } from '../../src/schemas/descriptor'
import { BUILT_IN_POLICIES } from '../../src/services/policies'

/**
 * Old decisions stay reproducible: every built-in policy version decides the recorded
 * descriptors exactly as it did when it shipped (scripts/record-golden-decisions.ts wrote the
 * record then). A change to the engine that alters any old answer, even a rounding or a key
 * order, fails here.
 */
const golden = JSON.parse(
  readFileSync(path.join(__dirname, '..', 'fixtures', 'golden', 'decisions.json'), 'utf8'),
) as {
  descriptors: Descriptor[]
  hashes: Record<string, string[]>
  paperCases: Record<string, unknown[]>
}

describe('replaying recorded decisions of every built-in policy version', () => {
  test('every shipped built-in policy version has a record', () => {
    expect(Object.keys(golden.hashes).sort()).toEqual(BUILT_IN_POLICIES.map((p) => p.id).sort())
  })

  test.each(Object.keys(golden.hashes))('%s decides every recorded descriptor identically', (id) => {
    const policy = BUILT_IN_POLICIES.find((p) => p.id === id)
    if (!policy) throw new Error(`built-in policy ${id} is gone`)
    const paper = golden.paperCases[id] as unknown[]
    paper.forEach((recorded, i) => {
      expect(JSON.parse(canonicalJson(decide(golden.descriptors[i] as Descriptor, policy)))).toEqual(recorded)
    })
    const differing = golden.descriptors.filter(
      (d, i) => sha256Hex(canonicalJson(decide(d, policy))) !== golden.hashes[id]?.[i],
    )
    expect(differing.map((d) => d.application.name)).toEqual([])
    expect(golden.descriptors.length).toBeGreaterThan(600)
  })
})
