import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { decide } from '../src/domain/engine'
import { canonicalJson } from '../src/lib/canonical-json'
import { sha256Hex } from '../src/lib/crypto'
import type { Descriptor } from '../src/schemas/descriptor'
import { BUILT_IN_POLICIES } from '../src/services/policies'
import { PAPER_CASES } from '../test/fixtures/paper-cases'
import { randomDescriptor, rng } from '../test/helpers/generate'

/**
 * Records what the built-in policies decide today, so that a later engine can be held to
 * deciding every stored assessment of these policy versions identically (`npm run golden`).
 *
 * It is meant to be run once per built-in policy version, when that version ships; the file it
 * writes is then a fixed point. Running it again after the engine changed would record the
 * new behaviour and hide the very regression the replay test exists to catch. New policy
 * versions are added with --only <policy id>, which keeps every recorded entry as it is.
 */
const FILE = path.resolve(__dirname, '..', 'test', 'fixtures', 'golden', 'decisions.json')
const GENERATED = 600

interface Golden {
  about: string
  descriptors: Descriptor[]
  /** policy id -> sha256 of each descriptor's canonical decision, in descriptor order. */
  hashes: Record<string, string[]>
  /** policy id -> the full decisions of the paper's cases, for a readable diff on failure. */
  paperCases: Record<string, unknown[]>
}

function main() {
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined
  const random = rng(20261127)
  const descriptors: Descriptor[] = [
    ...PAPER_CASES.map((c) => c.descriptor),
    ...Array.from({ length: GENERATED }, (_, i) => randomDescriptor(random, i)),
  ]
  let golden: Golden = {
    about:
      'Decisions of the built-in policies as each version shipped. test/domain/replay.test.ts re-decides ' +
      'every descriptor and requires the identical canonical decision. Written by scripts/record-golden-decisions.ts.',
    descriptors,
    hashes: {},
    paperCases: {},
  }
  if (only) golden = JSON.parse(require('node:fs').readFileSync(FILE, 'utf8')) as Golden
  for (const policy of BUILT_IN_POLICIES) {
    if (only && policy.id !== only) continue
    if (!only && golden.hashes[policy.id]) continue
    golden.hashes[policy.id] = golden.descriptors.map((d) => sha256Hex(canonicalJson(decide(d, policy))))
    golden.paperCases[policy.id] = PAPER_CASES.map((c) =>
      JSON.parse(canonicalJson(decide(c.descriptor, policy))),
    )
  }
  writeFileSync(FILE, `${JSON.stringify(golden)}\n`)
  console.log(`wrote ${FILE}: ${Object.keys(golden.hashes).join(', ')}`)
}

main()
