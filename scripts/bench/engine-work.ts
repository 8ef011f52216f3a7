import path from 'node:path'
import type { decide as Decide } from '../../src/domain/engine'
import { PAPER_POLICY_V2 } from '../../src/domain/policies/paper-v2'
import { ledger, publicPortal } from '../../test/fixtures/descriptors'
import { randomDescriptor, rng } from '../../test/helpers/generate'

/**
 * A fixed amount of the engine's work, for engine-instructions.ts to count: `rounds` (the first
 * argument) passes over the same 200 descriptors (the ledger, the public portal and 198
 * generated from one seed) under model 2, with the compiled engine the service runs (`dist/`,
 * or the directory given as the second argument). Prints nothing: what is measured is the
 * process's instruction count.
 */
export const DESCRIPTORS_PER_ROUND = 200

function work(rounds: number, dist: string): void {
  const { decide } = require(path.join(dist, 'domain', 'engine.js')) as { decide: typeof Decide }
  const random = rng(7)
  const descriptors = [
    ledger(),
    publicPortal(),
    ...Array.from({ length: DESCRIPTORS_PER_ROUND - 2 }, (_, i) => randomDescriptor(random, i)),
  ]
  for (let r = 0; r < rounds; r++) for (const d of descriptors) decide(d, PAPER_POLICY_V2)
}

if (require.main === module) {
  work(Number(process.argv[2] ?? 0), process.argv[3] ?? path.join(__dirname, '..', '..', 'dist'))
}
