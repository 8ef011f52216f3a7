import type { Source } from '../../schemas/policy'

const PAPER =
  'Kim, Lee and Lee, NIRS: A Study for Applying the Server Virtualization Technology based on Application Characteristics'

/**
 * Where every number and rule of the built-in model-2 policies comes from: a passage of the
 * paper (its own Korean words, with an English gloss), a named external assessment practice,
 * or the project's own assumption. The policies refer to these by key; GET /v1/policies/{id}
 * shows them, and the README's model section is generated from them.
 */
export const SOURCES = {
  PAPER_MISSION_CRITICAL: {
    kind: 'paper',
    title: PAPER,
    section: 'II.3 (application characteristics)',
    passage:
      '이 애플리케이션은 장애 발생 시 파급효과가 크기 때문에 안정적인 서비스 운영이 전제되어야 한다. 또한 보안사고 발생 시 막대한 피해가 예상되므로 보안이슈가 더 중요하게 다루어져야 한다.',
    gloss:
      'A failure of a mission-critical application has wide effects, so stable operation is a precondition; a security incident would do great harm, so security matters more. Basis of the stability and security weight rules.',
  },
  PAPER_VARIABLE_LOAD: {
    kind: 'paper',
    title: PAPER,
    section: 'II.3 (application characteristics)',
    passage:
      '접속자 폭주가 언제 발생할지 몰라 자원 사용 예측이 불가능한 서비스로 서버 확장 등과 같은 자원 사용의 유연성이 제공되어야 한다. 업무 집중기간이 있는 서비스나 대민서비스 같은 일시적인 사용량의 변동 가능성이 높은 서비스들이 대표적이다.',
    gloss:
      'Where access surges cannot be predicted, resources must scale flexibly; services with busy periods and public services with temporary swings are typical. Basis of the elasticity weight rules.',
  },
  PAPER_HYPERVISOR_STRENGTHS: {
    kind: 'paper',
    title: PAPER,
    section: 'III (proposed scheme), Table 2',
    passage:
      '가상머신이 다른 가상머신과 완전히 격리되어 게스트 운영체제의 선택이 가능해지고 보안성이 높아진다. 또한 장애가 발생해도 전체 시스템에 영향을 주지 않도록 가상머신 내에서 차단되어 안정성이 우수하다.',
    gloss:
      'Virtual machines are fully isolated from each other, so the guest OS can be chosen and security is higher; a fault stays inside its VM, so stability is excellent. Why the hypervisor rates higher on stability and security, and runs Windows guests.',
  },
  PAPER_CONTAINER_STRENGTHS: {
    kind: 'paper',
    title: PAPER,
    section: 'III (proposed scheme), Table 2',
    passage: '자원 확장과 같은 요구사항에 신속하게 대응할 수 있는 신속성과 유연성을 가지고 있다.',
    gloss:
      'Containers answer demands such as scaling out quickly and flexibly. Why containers rate higher on elasticity.',
  },
  PAPER_CONTAINER_RISKS: {
    kind: 'paper',
    title: PAPER,
    section: 'III (proposed scheme), Table 2',
    passage:
      '운영체제를 공유함으로써 격리 실패와 같은 보안 문제가 발생할 가능성이 있다. 또한 아직 확산단계에서 확인되지 않은 보안 위협들이 존재한다[4].',
    gloss:
      'Sharing the operating system can lead to security problems such as isolation failures, and threats not yet understood remain. Why containers rate lower on security and stability.',
  },
  PAPER_FREQUENT_BUILDS: {
    kind: 'paper',
    title: PAPER,
    section: 'Abstract',
    passage:
      '컨테이너 기술은 운영체제를 공유하고 잦은 빌드와 배포로 보안과 안정성에 대한 문제가 제기되고 있다.',
    gloss:
      'Containers share the OS and are built and deployed often, which raises security and stability concerns; frequent, repeatable deployment is also what they are for.',
  },
  PAPER_KERNEL: {
    kind: 'paper',
    title: PAPER,
    section: 'II.2 (containers)',
    passage:
      '컨테이너 기술은 운영체제의 커널이 프로세스를 격리하여 가상 자원인 컨테이너를 제공하는 기술이다. … 리눅스의 namespace와 cgroup을 이용한다.',
    gloss:
      'Containers are processes isolated by the host kernel (Linux namespaces and cgroups): an application cannot bring its own kernel or another operating system.',
  },
  PAPER_MIGRATION: {
    kind: 'paper',
    title: PAPER,
    section: 'III (proposed scheme), Table 2',
    passage:
      '애플리케이션을 레거시에서 하이퍼바이저 기반 가상화로 전환시에는 컨테이너 방식보다 용이하게 전환할 수 있다. … 애플리케이션을 기존 레거시에서 컨테이너 기반 가상화 환경으로 전환시에는 하이퍼바이저 방식에 비해 어렵다. 이것은 컨테이너를 쉽고 빠르게 배포하기 위해 애플리케이션을 마이크로서비스 아키텍처(MSA)로 전환해야 하기 때문이다.',
    gloss:
      'Converting (전환) a legacy application to hypervisor virtualization is easier than to containers, which need it converted to a microservice architecture (MSA). The paper treats this as the cost of the move: migration cost is a transition, not a lasting fit.',
  },
  PAPER_PROPOSAL_MISSION_CRITICAL: {
    kind: 'paper',
    title: PAPER,
    section: 'III (proposed scheme), first proposal',
    passage:
      '미션 크리티컬한 워크로드를 가진 애플리케이션은 사업 혹은 조직의 생존에 필수적인 시스템으로 장애와 보안사고에서 안전하다고 검증된 기술의 채택이 필요하다. 따라서, 보안과 안정성이 우수한 하이퍼바이저 기술이 적합하다.',
    gloss:
      'Mission-critical applications are essential to the organisation’s survival and need technology proven safe against failures and security incidents: hypervisors. Basis of the mission-critical gate.',
  },
  PAPER_PROPOSAL_VARIABLE: {
    kind: 'paper',
    title: PAPER,
    section: 'III (proposed scheme), second proposal',
    passage:
      '자원 사용이 가변적인 애플리케이션은 사용량에 따라 자원을 자유롭게 할당 회수가 필요하다. 따라서, 예측하지 못한 시스템 부하가 발생해도 신속하게 부하를 해소할 수 있도록 자원 확장이 가능한 컨테이너 기술이 적합하다.',
    gloss:
      'Applications with variable resource use need resources allocated and released freely, so containers, which scale out fast under unforeseen load, suit them.',
  },
  PAPER_FUTURE: {
    kind: 'paper',
    title: PAPER,
    section: 'IV (conclusions)',
    passage:
      '향후에는 하이퍼바이저와 컨테이너 기술들이 현재의 장점을 살리면서 단점을 해소하는 방향으로 더욱 발전할 것이며',
    gloss:
      'Both technologies will evolve to keep their strengths and shed their weaknesses: sandboxed containers (Kata Containers, gVisor, Firecracker) are that convergence.',
  },
  PRACTICE_PATHFINDER: {
    kind: 'practice',
    title: 'Konveyor Pathfinder application assessment questionnaire',
    gloss:
      'Open-source containerisation readiness questions: vendor support, licensing, hardware and privileged access, state, network identity, clustering, restart and start-up behaviour, OS support.',
  },
  PRACTICE_AZURE_READINESS: {
    kind: 'practice',
    title: 'Azure Migrate readiness assessment',
    gloss:
      'Classifies each workload as ready, ready with conditions, not ready or readiness unknown: the verdict classes used here.',
  },
  PRACTICE_GOOGLE_FIT: {
    kind: 'practice',
    title: 'Google Cloud Migrate to Containers fit assessment',
    gloss:
      'Blockers for containerising a VM workload: OS and kernel dependencies, hardware, networking, local state.',
  },
  PRACTICE_AWS_STRATEGIES: {
    kind: 'practice',
    title:
      'AWS migration strategies (rehost, replatform, refactor/re-architect) and Strategy Recommendations anti-pattern reports',
    gloss:
      'Effort classes of a move, and the anti-patterns that block containers (host-bound licences, fixed addresses, static clusters).',
  },
  PRACTICE_TRANSITION_ARCHITECTURE: {
    kind: 'practice',
    title: 'Target and transition architectures (TOGAF)',
    gloss:
      'A plan names where a system should end up and where it runs in between: target and interim placement.',
  },
  ASSUMPTION_RATINGS: {
    kind: 'assumption',
    title: 'Project assumption: ratings',
    gloss:
      'The paper ranks the platforms on each criterion but gives no numbers; the 0..100 ratings are the project’s, chosen to keep the paper’s order on each criterion and to reproduce its examples.',
  },
  ASSUMPTION_WEIGHTS: {
    kind: 'assumption',
    title: 'Project assumption: weight increments',
    gloss:
      'The paper says which criteria matter more for which applications, not by how much; the increments are the project’s, checked against the paper’s examples and for monotonicity.',
  },
  ASSUMPTION_THRESHOLDS: {
    kind: 'assumption',
    title: 'Project assumption: thresholds',
    gloss:
      'Confidence margins, the tie margin, peak-to-average and availability thresholds are the project’s own numbers.',
  },
  ASSUMPTION_PLATFORM: {
    kind: 'assumption',
    title: 'Project assumption: what the agency runs',
    gloss:
      'The built-in policies assume Linux-only container nodes and x86 hypervisors (KVM, ESXi, Hyper-V). An agency with Windows container nodes states so in its own policy by changing the OS check.',
  },
  ASSUMPTION_READINESS: {
    kind: 'assumption',
    title: 'Project assumption: severity of each blocker',
    gloss:
      'Which blockers rule a platform out, which only add conditions, and which a re-architecture clears, is the project’s reading of the practices named beside it.',
  },
} satisfies Record<string, Source>

export type SourceId = keyof typeof SOURCES
