import { ARCHITECTURE, BLOCKER_NAMES } from '../../schemas/descriptor'
import type { EffortClass, Policy, ReadinessCheck, Rule } from '../../schemas/policy'
import { PAPER_DEFAULT_POLICY as v1 } from './paper-default'
import { SOURCES, type SourceId } from './sources'

const sources = (...ids: SourceId[]) => ids

/** Where each of the first version's rules comes from; model 2 keeps them all. */
const RULE_SOURCES: Record<string, SourceId[]> = {
  MISSION_CRITICAL: sources('PAPER_MISSION_CRITICAL', 'ASSUMPTION_WEIGHTS'),
  HIGH_CRITICALITY: sources('PAPER_MISSION_CRITICAL', 'ASSUMPTION_WEIGHTS'),
  MEDIUM_CRITICALITY: sources('PAPER_MISSION_CRITICAL', 'ASSUMPTION_WEIGHTS'),
  SECRET_DATA: sources('PAPER_CONTAINER_RISKS', 'ASSUMPTION_WEIGHTS', 'ASSUMPTION_RATINGS'),
  CONFIDENTIAL_DATA: sources('PAPER_MISSION_CRITICAL', 'ASSUMPTION_WEIGHTS'),
  INTERNAL_DATA: sources('PAPER_MISSION_CRITICAL', 'ASSUMPTION_WEIGHTS'),
  EXTREME_LOAD: sources('PAPER_VARIABLE_LOAD', 'ASSUMPTION_WEIGHTS'),
  HIGH_LOAD_VARIABILITY: sources('PAPER_VARIABLE_LOAD', 'ASSUMPTION_WEIGHTS'),
  MODERATE_LOAD_VARIABILITY: sources('PAPER_VARIABLE_LOAD', 'ASSUMPTION_WEIGHTS'),
  HIGH_PEAK_RATIO: sources('PAPER_VARIABLE_LOAD', 'ASSUMPTION_THRESHOLDS', 'ASSUMPTION_WEIGHTS'),
  MODERATE_PEAK_RATIO: sources('PAPER_VARIABLE_LOAD', 'ASSUMPTION_THRESHOLDS', 'ASSUMPTION_WEIGHTS'),
  VERY_HIGH_AVAILABILITY: sources('PAPER_MISSION_CRITICAL', 'ASSUMPTION_THRESHOLDS', 'ASSUMPTION_WEIGHTS'),
  HIGH_AVAILABILITY: sources('PAPER_MISSION_CRITICAL', 'ASSUMPTION_THRESHOLDS', 'ASSUMPTION_WEIGHTS'),
  INTERNET_FACING: sources('PAPER_CONTAINER_RISKS', 'ASSUMPTION_WEIGHTS'),
  FREQUENT_RELEASES: sources('PAPER_FREQUENT_BUILDS', 'ASSUMPTION_WEIGHTS'),
  LEGACY_MONOLITH: sources('PAPER_MIGRATION', 'ASSUMPTION_RATINGS'),
  MODULAR_ARCHITECTURE: sources('PAPER_MIGRATION', 'ASSUMPTION_RATINGS'),
  MICROSERVICES: sources('PAPER_MIGRATION', 'ASSUMPTION_RATINGS'),
  ALREADY_CONTAINERIZED: sources('PAPER_MIGRATION', 'ASSUMPTION_RATINGS'),
  STATEFUL: sources('PRACTICE_PATHFINDER', 'ASSUMPTION_RATINGS'),
}

/**
 * Model 1 let a monolith's re-architecture lower the container's elasticity as well as its
 * migration cost, so the cost of the move decided the target. Model 2 keeps only the
 * migration-cost part: the architecture is what the move changes, not a lasting trait.
 */
const ARCHITECTURE_RULES: Record<string, Rule['ratings']> = {
  LEGACY_MONOLITH: { container: { migrationCost: -45 } },
  MODULAR_ARCHITECTURE: { container: { migrationCost: -20 } },
}
const ARCHITECTURE_MESSAGES: Record<string, Rule['message']> = {
  LEGACY_MONOLITH: {
    en: 'A monolith moves to a virtual machine as it is; containers need it re-architected (MSA) first, which is the cost of that move.',
    ko: '모놀리식 애플리케이션은 가상머신으로는 그대로 이전할 수 있지만, 컨테이너로 옮기려면 먼저 MSA로 재설계해야 하며 이것이 그 전환의 비용입니다.',
  },
  MODULAR_ARCHITECTURE: {
    en: 'A modular application needs partial re-architecture (refactoring) before it runs well in containers.',
    ko: '모듈형 애플리케이션은 컨테이너에서 잘 동작하려면 먼저 부분적인 재설계(리팩터링)가 필요합니다.',
  },
}

const rules: Rule[] = v1.rules.map((rule) => ({
  ...rule,
  ...(ARCHITECTURE_RULES[rule.code] ? { ratings: ARCHITECTURE_RULES[rule.code] } : {}),
  ...(ARCHITECTURE_MESSAGES[rule.code]
    ? { message: ARCHITECTURE_MESSAGES[rule.code] as Rule['message'] }
    : {}),
  source: RULE_SOURCES[rule.code] as string[],
}))

const readinessSources = sources('PRACTICE_PATHFINDER', 'PRACTICE_AZURE_READINESS', 'ASSUMPTION_READINESS')
const check = (c: Omit<ReadinessCheck, 'source'> & { source?: SourceId[] }): ReadinessCheck => ({
  ...c,
  source: c.source ?? readinessSources,
})
const yes = (field: (typeof BLOCKER_NAMES)[number]) => [{ field, in: ['yes'] }] as ReadinessCheck['when']

const readiness: ReadinessCheck[] = [
  check({
    code: 'CONTAINER_OS',
    platforms: ['container'],
    when: [{ field: 'operatingSystem', in: ['windows', 'other'] }],
    verdict: 'not_ready',
    message: {
      en: 'Runs on {operatingSystem}: the container platform this policy assumes has Linux nodes only, and a container shares its node’s kernel.',
      ko: '{operatingSystem} 운영체제에서 실행됩니다. 이 정책이 전제하는 컨테이너 플랫폼은 리눅스 노드만 있으며 컨테이너는 노드의 커널을 공유합니다.',
    },
    source: sources('PAPER_KERNEL', 'ASSUMPTION_PLATFORM', 'PRACTICE_GOOGLE_FIT'),
  }),
  check({
    code: 'HYPERVISOR_OS',
    platforms: ['hypervisor'],
    when: [{ field: 'operatingSystem', in: ['other'] }],
    verdict: 'unknown',
    message: {
      en: 'Runs on an operating system other than Linux or Windows: check that the agency’s hypervisors support it as a guest (BSD: yes; AIX, Solaris on SPARC: no).',
      ko: '리눅스나 윈도우가 아닌 운영체제에서 실행됩니다. 기관의 하이퍼바이저가 게스트로 지원하는지 확인하십시오(BSD는 가능, SPARC용 AIX·Solaris는 불가).',
    },
    source: sources('PAPER_HYPERVISOR_STRENGTHS', 'ASSUMPTION_PLATFORM'),
  }),
  check({
    code: 'KERNEL_CUSTOMIZATION',
    platforms: ['container'],
    when: [{ field: 'requiresKernelCustomization', in: [true] }],
    verdict: 'not_ready',
    message: {
      en: 'Needs its own kernel modules or settings: containers share one host kernel, a virtual machine has its own.',
      ko: '전용 커널 모듈이나 설정이 필요합니다. 컨테이너는 호스트 커널을 공유하지만 가상머신은 자체 커널을 가집니다.',
    },
    source: sources('PAPER_KERNEL', 'PRACTICE_GOOGLE_FIT'),
  }),
  check({
    code: 'VENDOR_CONTAINER_SUPPORT',
    platforms: ['container'],
    when: yes('vendorForbidsContainers'),
    verdict: 'not_ready',
    message: {
      en: 'The vendor does not support it in containers: running it there would forfeit vendor support.',
      ko: '공급사가 컨테이너 환경을 지원하지 않으므로 컨테이너에서 운영하면 공급사 지원을 받을 수 없습니다.',
    },
  }),
  check({
    code: 'HOST_BOUND_LICENSING',
    platforms: ['hypervisor', 'container'],
    when: yes('hostBoundLicensing'),
    verdict: 'ready_with_conditions',
    message: {
      en: 'Licences are bound to hosts or CPUs: pin it to licensed hosts (VM host affinity, dedicated container nodes) or renegotiate the licence.',
      ko: '라이선스가 호스트나 CPU에 묶여 있습니다. 라이선스된 호스트에 고정하거나(VM 호스트 선호도, 전용 컨테이너 노드) 라이선스를 재협상해야 합니다.',
    },
    source: sources('PRACTICE_PATHFINDER', 'PRACTICE_AWS_STRATEGIES', 'ASSUMPTION_READINESS'),
  }),
  check({
    code: 'SPECIAL_HARDWARE',
    platforms: ['container'],
    when: yes('specialHardware'),
    verdict: 'not_ready',
    message: {
      en: 'Needs special hardware (HSM, dongle, USB or serial devices, GPU): a shared container node cannot hand it to one workload safely.',
      ko: '특수 하드웨어(HSM, 동글, USB·시리얼 장치, GPU)가 필요합니다. 공유 컨테이너 노드는 이를 한 워크로드에 안전하게 할당할 수 없습니다.',
    },
  }),
  check({
    code: 'SPECIAL_HARDWARE_PASSTHROUGH',
    platforms: ['hypervisor'],
    when: yes('specialHardware'),
    verdict: 'ready_with_conditions',
    message: {
      en: 'Needs special hardware: the virtual machine needs device passthrough and a host that has the device.',
      ko: '특수 하드웨어가 필요합니다. 가상머신에 장치 패스스루와 해당 장치가 있는 호스트가 필요합니다.',
    },
  }),
  check({
    code: 'PRIVILEGED_ACCESS',
    platforms: ['container'],
    when: yes('privilegedAccess'),
    verdict: 'not_ready',
    clearedBy: 'refactor',
    message: {
      en: 'Needs privileged mode or host capabilities: on a shared kernel that breaks the isolation of every neighbour. Removing the need is a refactoring.',
      ko: '특권 모드나 호스트 권한이 필요합니다. 공유 커널에서는 이웃 워크로드의 격리를 깨뜨립니다. 이 요구를 없애는 것은 리팩터링입니다.',
    },
  }),
  check({
    code: 'LOCAL_STATE',
    platforms: ['container'],
    when: yes('localState'),
    verdict: 'ready_with_conditions',
    message: {
      en: 'Keeps state on local disk or in shared memory: it needs persistent volumes and a stable identity per replica (a stateful set).',
      ko: '로컬 디스크나 공유 메모리에 상태를 저장합니다. 영구 볼륨과 복제본별 고정 식별자(스테이트풀셋)가 필요합니다.',
    },
  }),
  check({
    code: 'FIXED_NETWORK_IDENTITY',
    platforms: ['container'],
    when: yes('fixedNetworkIdentity'),
    verdict: 'not_ready',
    clearedBy: 'refactor',
    message: {
      en: 'Depends on fixed IP addresses, non-IP protocols or addresses in payloads: containers get addresses that change. It must use service names first.',
      ko: '고정 IP, 비IP 프로토콜, 페이로드 내 주소에 의존합니다. 컨테이너 주소는 바뀌므로 먼저 서비스 이름을 쓰도록 바꿔야 합니다.',
    },
  }),
  check({
    code: 'STATIC_CLUSTERING',
    platforms: ['container'],
    when: yes('staticClustering'),
    verdict: 'not_ready',
    clearedBy: 'refactor',
    message: {
      en: 'Its cluster members are configured statically: replicas that come and go would break the cluster. It needs dynamic membership first.',
      ko: '클러스터 구성원이 정적으로 설정되어 있어 생성·소멸하는 복제본이 클러스터를 깨뜨립니다. 먼저 동적 구성원 관리가 필요합니다.',
    },
  }),
  check({
    code: 'UNCLEAN_RESTART',
    platforms: ['container'],
    when: yes('uncleanRestart'),
    verdict: 'not_ready',
    clearedBy: 'refactor',
    message: {
      en: 'Cannot be restarted at any moment without harm, or starts slowly: containers are stopped and moved at will. It must restart cleanly first.',
      ko: '언제든 안전하게 재시작할 수 없거나 기동이 느립니다. 컨테이너는 수시로 중지·이동되므로 먼저 깨끗한 재시작이 가능해야 합니다.',
    },
  }),
  check({
    code: 'OS_END_OF_LIFE',
    platforms: ['container'],
    when: yes('osEndOfLife'),
    verdict: 'not_ready',
    clearedBy: 'replatform',
    message: {
      en: 'Its operating system is past its end of life: there are no supported base images for it; the move includes an OS upgrade.',
      ko: '운영체제 지원이 종료되어 지원되는 베이스 이미지가 없습니다. 전환에 운영체제 업그레이드가 포함됩니다.',
    },
  }),
  check({
    code: 'OS_END_OF_LIFE_VM',
    platforms: ['hypervisor'],
    when: yes('osEndOfLife'),
    verdict: 'ready_with_conditions',
    message: {
      en: 'Its operating system is past its end of life: a virtual machine runs it, isolated on a restricted network, with an upgrade planned.',
      ko: '운영체제 지원이 종료되었습니다. 가상머신에서 운영할 수 있으나 제한된 네트워크에 격리하고 업그레이드를 계획해야 합니다.',
    },
  }),
  check({
    code: 'NON_X86_PLATFORM',
    platforms: ['hypervisor', 'container'],
    when: yes('nonX86Platform'),
    verdict: 'not_ready',
    message: {
      en: 'Needs a non-x86 CPU or an OS only such hardware runs (AIX, Solaris on SPARC, HP-UX): neither the x86 hypervisors nor the container nodes can run it.',
      ko: 'x86이 아닌 CPU 또는 그 하드웨어에서만 동작하는 운영체제(AIX, SPARC용 Solaris, HP-UX)가 필요하여 x86 하이퍼바이저와 컨테이너 노드 모두에서 실행할 수 없습니다.',
    },
    source: sources('PRACTICE_AZURE_READINESS', 'ASSUMPTION_PLATFORM'),
  }),
]

const containerEffort: Record<(typeof ARCHITECTURE)[number], EffortClass> = {
  monolith: 'rearchitect',
  modular: 'refactor',
  microservices: 'replatform',
  containerized: 'none',
}

/**
 * Model 2 of the paper's policy: the same criteria, ratings and weight rules, with the
 * decision said the way a planner needs it. The target follows the lasting characteristics
 * (migration cost is the transition, weighted 0); readiness blockers are their own answer;
 * mission-critical applications stay off shared-kernel containers (the paper's first
 * proposal) and the answer names the conflict when the scores point there.
 */
export const PAPER_POLICY_V2: Policy = {
  model: 2,
  id: 'nirs-paper-v2',
  name: 'nirs-paper',
  version: 2,
  description:
    `${v1.description} Model 2: a target placement by the lasting characteristics, an interim ` +
    'placement while a re-architecture is under way, readiness blockers as their own answer, and a ' +
    'gate that keeps mission-critical applications on isolated platforms.',
  platforms: ['hypervisor', 'container'],
  criteria: [
    { ...(v1.criteria[0] as Policy['criteria'][number]), source: sources('PAPER_MISSION_CRITICAL') },
    { ...(v1.criteria[1] as Policy['criteria'][number]), source: sources('PAPER_MISSION_CRITICAL') },
    { ...(v1.criteria[2] as Policy['criteria'][number]), source: sources('PAPER_VARIABLE_LOAD') },
    {
      name: 'migrationCost',
      baseWeight: 0,
      role: 'transition',
      description:
        'Effort to move the application as it is (higher rating: cheaper). The cost of the move, not a lasting fit: weighted 0 in the target, shown with its sensitivity.',
      source: sources('PAPER_MIGRATION'),
    },
  ],
  ratings: v1.ratings,
  ratingSources: {
    hypervisor: {
      stability: sources('PAPER_HYPERVISOR_STRENGTHS', 'ASSUMPTION_RATINGS'),
      security: sources('PAPER_HYPERVISOR_STRENGTHS', 'ASSUMPTION_RATINGS'),
      elasticity: sources('PAPER_CONTAINER_STRENGTHS', 'ASSUMPTION_RATINGS'),
      migrationCost: sources('PAPER_MIGRATION', 'ASSUMPTION_RATINGS'),
    },
    container: {
      stability: sources('PAPER_CONTAINER_RISKS', 'ASSUMPTION_RATINGS'),
      security: sources('PAPER_CONTAINER_RISKS', 'ASSUMPTION_RATINGS'),
      elasticity: sources('PAPER_CONTAINER_STRENGTHS', 'ASSUMPTION_RATINGS'),
      migrationCost: sources('PAPER_MIGRATION', 'ASSUMPTION_RATINGS'),
    },
  },
  rules,
  constraints: [],
  readiness,
  gates: [
    {
      code: 'MISSION_CRITICAL_ISOLATION',
      when: [{ field: 'businessCriticality', in: ['mission_critical'] }],
      restrict: ['container'],
      message: {
        en: 'Conflict: mission-critical with {loadVariability} load variability. The scores favour elastic containers, but the paper asks for technology proven safe against failures and security incidents for mission-critical systems, so the policy keeps them off shared-kernel containers.',
        ko: '상충: 미션 크리티컬 업무이면서 부하 변동이 {loadVariability}입니다. 점수는 탄력적인 컨테이너를 가리키지만, 논문은 미션 크리티컬 시스템에 장애와 보안사고에서 안전하다고 검증된 기술을 요구하므로 정책은 커널을 공유하는 컨테이너를 허용하지 않습니다.',
      },
      requires: {
        en: 'The agency would have to admit shared-kernel containers for mission-critical workloads in its own policy (a gate exception naming the conditions it accepts), or run sandboxed containers, which give each workload its own kernel (policy nirs-paper-sandboxed-v2).',
        ko: '기관이 자체 정책에서 미션 크리티컬 워크로드에 커널 공유 컨테이너를 허용하거나(허용 조건을 명시한 예외), 워크로드마다 자체 커널을 갖는 샌드박스 컨테이너를 운영해야 합니다(정책 nirs-paper-sandboxed-v2).',
      },
      source: sources('PAPER_PROPOSAL_MISSION_CRITICAL', 'PAPER_CONTAINER_RISKS'),
    },
  ],
  transition: {
    effort: {
      hypervisor: Object.fromEntries(ARCHITECTURE.map((a) => [a, 'rehost'])),
      container: containerEffort,
    },
    interimFrom: 'refactor',
    source: sources('PAPER_MIGRATION', 'PRACTICE_AWS_STRATEGIES', 'PRACTICE_TRANSITION_ARCHITECTURE'),
  },
  actionable: ['stateful', 'requiresKernelCustomization', ...BLOCKER_NAMES],
  sources: SOURCES,
  confidence: { ...v1.confidence, tieMargin: 2, source: sources('ASSUMPTION_THRESHOLDS') },
}
