import type { EffortClass, Policy, ReadinessCheck, Rule } from '../../schemas/policy'
import { PAPER_DEFAULT_POLICY as paper } from './paper-default'
import { PAPER_POLICY_V2 as paperV2 } from './paper-v2'

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

/**
 * How a readiness check on plain containers reads for sandboxed ones. Most blockers concern
 * packaging and scheduling, which sandboxes share with containers; but a sandbox runs its own
 * guest kernel, so kernel settings and privileged access only add conditions there.
 */
function sandboxedCheck(check: ReadinessCheck): ReadinessCheck[] {
  if (!check.platforms.includes('container')) return [check]
  const own: Record<string, Pick<ReadinessCheck, 'verdict' | 'message'>> = {
    KERNEL_CUSTOMIZATION: {
      verdict: 'ready_with_conditions',
      message: {
        en: 'Needs its own kernel modules or settings: a sandbox has its own guest kernel, which must be built with them.',
        ko: '전용 커널 모듈이나 설정이 필요합니다. 샌드박스는 자체 게스트 커널을 가지므로 이를 포함해 빌드해야 합니다.',
      },
    },
    PRIVILEGED_ACCESS: {
      verdict: 'ready_with_conditions',
      message: {
        en: 'Needs privileged mode or host capabilities: inside a sandbox they reach only its own guest kernel, which the platform must allow.',
        ko: '특권 모드나 호스트 권한이 필요합니다. 샌드박스 안에서는 자체 게스트 커널에만 영향을 주므로 플랫폼이 이를 허용해야 합니다.',
      },
    },
  }
  const special = own[check.code]
  if (!special) return [{ ...check, platforms: [...check.platforms, SANDBOX] }]
  const { clearedBy: _cleared, ...rest } = check
  return [check, { ...rest, ...special, code: `${check.code}_SANDBOX`, platforms: [SANDBOX] }]
}

/** Model 2 of the sandboxed policy, built from the paper's model 2 as the first was. */
export const SANDBOXED_POLICY_V2: Policy = {
  ...paperV2,
  id: 'nirs-paper-sandboxed-v2',
  name: 'nirs-paper-sandboxed',
  version: 2,
  description:
    `${paperV2.description} Adds sandboxed containers (micro-VM isolation: Kata Containers, gVisor, ` +
    'Firecracker), the convergence the paper foresees: they give elasticity with a kernel per workload, so ' +
    'the mission-critical gate admits them.',
  platforms: [...paperV2.platforms, SANDBOX],
  ratings: { ...paperV2.ratings, [SANDBOX]: SANDBOXED_POLICY.ratings[SANDBOX] as Record<string, number> },
  ratingSources: {
    ...paperV2.ratingSources,
    [SANDBOX]: {
      stability: ['PAPER_FUTURE', 'ASSUMPTION_RATINGS'],
      security: ['PAPER_FUTURE', 'ASSUMPTION_RATINGS'],
      elasticity: ['PAPER_CONTAINER_STRENGTHS', 'ASSUMPTION_RATINGS'],
      migrationCost: ['PAPER_MIGRATION', 'ASSUMPTION_RATINGS'],
    },
  },
  rules: paperV2.rules.map(sandboxed),
  readiness: (paperV2.readiness ?? []).flatMap(sandboxedCheck),
  gates: (paperV2.gates ?? []).map((gate) => ({
    ...gate,
    requires: {
      en: 'The agency would have to admit shared-kernel containers for mission-critical workloads in its own policy (a gate exception naming the conditions it accepts). Sandboxed containers, with a kernel per workload, are admitted.',
      ko: '기관이 자체 정책에서 미션 크리티컬 워크로드에 커널 공유 컨테이너를 허용해야 합니다(허용 조건을 명시한 예외). 워크로드마다 커널을 갖는 샌드박스 컨테이너는 허용됩니다.',
    },
    source: [...(gate.source ?? []), 'PAPER_FUTURE'],
  })),
  transition: {
    ...(paperV2.transition as NonNullable<Policy['transition']>),
    effort: {
      ...paperV2.transition?.effort,
      [SANDBOX]: paperV2.transition?.effort.container as Record<string, EffortClass>,
    },
  },
}
