import type { Policy, Rule } from '../../schemas/policy'
import { PAPER_DEFAULT_POLICY as paper } from './paper-default'

const SANDBOX = 'sandboxed_container'

/**
 * How a rule that adjusts plain containers adjusts sandboxed ones. They are packaged and
 * scaled like containers, so migration and elasticity effects carry over; but each sandbox
 * has its own guest kernel, so sharing a host kernel costs secret data far less.
 */
function sandboxed(rule: Rule): Rule {
  const container = rule.ratings?.container
  if (!container) return rule
  const adjusted = rule.code === 'SECRET_DATA' ? { ...container, security: -5 } : container
  return { ...rule, ratings: { ...rule.ratings, [SANDBOX]: adjusted } }
}

/**
 * The paper's policy with a third platform: containers isolated by a micro-VM (Kata
 * Containers, gVisor, Firecracker), the convergence the paper's conclusion foresees. It suits
 * applications that need both container elasticity and strong isolation. Built from the
 * default policy's data, so the two cannot disagree on anything but the new platform.
 */
export const SANDBOXED_POLICY: Policy = {
  ...paper,
  id: 'nirs-paper-sandboxed-v1',
  name: 'nirs-paper-sandboxed',
  version: 1,
  description:
    `${paper.description} Adds sandboxed containers (micro-VM isolation: Kata Containers, gVisor, ` +
    'Firecracker), the convergence the paper foresees, for applications that need container ' +
    'elasticity and strong isolation at once.',
  platforms: [...paper.platforms, SANDBOX],
  ratings: {
    ...paper.ratings,
    // Between the two: a guest kernel per sandbox isolates well; the extra layer costs some
    // start-up speed and density, and some operational maturity.
    [SANDBOX]: { stability: 75, security: 85, elasticity: 85, migrationCost: 55 },
  },
  rules: paper.rules.map(sandboxed),
  constraints: paper.constraints.map((constraint) =>
    // A sandbox runs a Linux guest kernel of its own, so only the OS constraint applies to it.
    constraint.code === 'NON_LINUX_OS'
      ? { ...constraint, exclude: [...constraint.exclude, SANDBOX] }
      : constraint,
  ),
}
