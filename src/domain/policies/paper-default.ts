import type { Policy } from '../../schemas/policy'

/**
 * The default policy: the placement rule of Kim, Lee and Lee (NIRS, "A Study for Applying
 * the Server Virtualization Technology based on Application Characteristics"), as data.
 *
 * Ratings encode the paper's Table 2: hypervisors isolate faults and tenants better and take
 * a legacy application as it is; containers scale out fast but share the host kernel and
 * need a legacy application re-architected. Weight rules encode its Table 1: criticality and
 * data sensitivity raise stability and security, load variability raises elasticity.
 *
 * Two invariants keep the answers monotone, and the property tests check them: the
 * hypervisor's stability and security ratings are never below the container's, and the
 * container's elasticity rating is never below the hypervisor's, whatever rules fire.
 */
export const PAPER_DEFAULT_POLICY: Policy = {
  id: 'nirs-paper-v1',
  name: 'nirs-paper',
  version: 1,
  description:
    'Placement by application characteristics after Kim, Lee and Lee, "A Study for Applying the ' +
    'Server Virtualization Technology based on Application Characteristics" (National Information ' +
    'Resources Service, Korea): mission-critical applications go to hypervisor virtual machines for ' +
    'stability and security; applications with variable resource use go to containers for elasticity.',
  platforms: ['hypervisor', 'container'],
  criteria: [
    { name: 'stability', baseWeight: 1, description: 'Fault isolation, availability, blast radius.' },
    { name: 'security', baseWeight: 1, description: 'Isolation strength for the data and exposure.' },
    { name: 'elasticity', baseWeight: 1, description: 'How well load swings are absorbed.' },
    {
      name: 'migrationCost',
      baseWeight: 1,
      description: 'Effort to move the application as it is (higher rating: cheaper).',
    },
  ],
  ratings: {
    hypervisor: { stability: 90, security: 90, elasticity: 45, migrationCost: 90 },
    container: { stability: 65, security: 60, elasticity: 95, migrationCost: 60 },
  },
  rules: [
    {
      code: 'MISSION_CRITICAL',
      when: [{ field: 'businessCriticality', in: ['mission_critical'] }],
      weights: { stability: 2.5, security: 1.5 },
      message: {
        en: 'Mission-critical: a failure or breach has wide impact, so stability and security weigh most.',
        ko: '미션 크리티컬 업무: 장애나 침해의 영향이 크므로 안정성과 보안의 비중이 가장 큽니다.',
      },
    },
    {
      code: 'HIGH_CRITICALITY',
      when: [{ field: 'businessCriticality', in: ['high'] }],
      weights: { stability: 1.25, security: 0.75 },
      message: {
        en: 'High business criticality raises the weight of stability and security.',
        ko: '업무 중요도가 높아 안정성과 보안의 비중이 커집니다.',
      },
    },
    {
      code: 'MEDIUM_CRITICALITY',
      when: [{ field: 'businessCriticality', in: ['medium'] }],
      weights: { stability: 0.5, security: 0.25 },
      message: {
        en: 'Medium business criticality gives stability and security some extra weight.',
        ko: '업무 중요도가 보통이어서 안정성과 보안에 약간의 비중을 더합니다.',
      },
    },
    {
      code: 'SECRET_DATA',
      when: [{ field: 'dataClassification', in: ['secret'] }],
      weights: { security: 2 },
      ratings: { container: { security: -20 } },
      message: {
        en: 'Secret data: a shared host kernel is a weaker boundary than a hypervisor, so security weighs heavily.',
        ko: '비밀 데이터: 공유 호스트 커널은 하이퍼바이저보다 격리 경계가 약하므로 보안의 비중이 매우 큽니다.',
      },
    },
    {
      code: 'CONFIDENTIAL_DATA',
      when: [{ field: 'dataClassification', in: ['confidential'] }],
      weights: { security: 1 },
      message: {
        en: 'Confidential data raises the weight of security.',
        ko: '기밀 데이터를 다루므로 보안의 비중이 커집니다.',
      },
    },
    {
      code: 'INTERNAL_DATA',
      when: [{ field: 'dataClassification', in: ['internal'] }],
      weights: { security: 0.25 },
      message: {
        en: 'Internal data gives security a little extra weight.',
        ko: '내부 데이터를 다루므로 보안에 약간의 비중을 더합니다.',
      },
    },
    {
      code: 'EXTREME_LOAD',
      when: [{ field: 'loadVariability', in: ['extreme'] }],
      weights: { elasticity: 3 },
      message: {
        en: 'Extreme, unpredictable load swings: fast scale-out (elasticity) weighs most.',
        ko: '예측하기 어려운 극심한 부하 변동: 신속한 확장(탄력성)의 비중이 가장 큽니다.',
      },
    },
    {
      code: 'HIGH_LOAD_VARIABILITY',
      when: [{ field: 'loadVariability', in: ['high'] }],
      weights: { elasticity: 1.5 },
      message: {
        en: 'Highly variable load raises the weight of elasticity.',
        ko: '부하 변동이 커서 탄력성의 비중이 커집니다.',
      },
    },
    {
      code: 'MODERATE_LOAD_VARIABILITY',
      when: [{ field: 'loadVariability', in: ['moderate'] }],
      weights: { elasticity: 0.5 },
      message: {
        en: 'Moderately variable load gives elasticity some extra weight.',
        ko: '부하 변동이 보통이어서 탄력성에 약간의 비중을 더합니다.',
      },
    },
    {
      code: 'HIGH_PEAK_RATIO',
      when: [{ field: 'peakToAverageRatio', gte: 10 }],
      weights: { elasticity: 1 },
      message: {
        en: 'Peaks reach {peakToAverageRatio} times the average load: capacity must follow demand.',
        ko: '최대 부하가 평균의 {peakToAverageRatio}배에 이르므로 수요에 맞춰 용량이 따라가야 합니다.',
      },
    },
    {
      code: 'MODERATE_PEAK_RATIO',
      when: [{ field: 'peakToAverageRatio', gte: 3, lt: 10 }],
      weights: { elasticity: 0.5 },
      message: {
        en: 'Peaks reach {peakToAverageRatio} times the average load.',
        ko: '최대 부하가 평균의 {peakToAverageRatio}배에 이릅니다.',
      },
    },
    {
      code: 'VERY_HIGH_AVAILABILITY',
      when: [{ field: 'availabilityTarget', gte: 99.99 }],
      weights: { stability: 1 },
      message: {
        en: 'An availability target of {availabilityTarget}% leaves little room for faults: stability weighs more.',
        ko: '가용성 목표가 {availabilityTarget}%로 장애 허용 범위가 좁아 안정성의 비중이 커집니다.',
      },
    },
    {
      code: 'HIGH_AVAILABILITY',
      when: [{ field: 'availabilityTarget', gte: 99.95, lt: 99.99 }],
      weights: { stability: 0.5 },
      message: {
        en: 'An availability target of {availabilityTarget}% gives stability some extra weight.',
        ko: '가용성 목표가 {availabilityTarget}%여서 안정성에 약간의 비중을 더합니다.',
      },
    },
    {
      code: 'INTERNET_FACING',
      when: [{ field: 'internetFacing', in: [true] }],
      weights: { security: 0.5 },
      message: {
        en: 'Reachable from the internet: a larger attack surface gives security more weight.',
        ko: '인터넷에 노출되어 공격 표면이 넓으므로 보안의 비중이 커집니다.',
      },
    },
    {
      code: 'FREQUENT_RELEASES',
      when: [{ field: 'releaseFrequency', in: ['weekly', 'daily'] }],
      weights: { elasticity: 0.5 },
      message: {
        en: 'Released {releaseFrequency}: business agility and fast, repeatable deployment matter.',
        ko: '배포 주기({releaseFrequency})가 짧아 업무 민첩성과 신속한 배포가 중요합니다.',
      },
    },
    {
      code: 'LEGACY_MONOLITH',
      when: [{ field: 'architecture', in: ['monolith'] }],
      ratings: { container: { migrationCost: -45, elasticity: -30 } },
      message: {
        en: 'A monolith moves to a virtual machine as it is, but must be re-architected (MSA) to benefit from containers, and it scales out only as a whole.',
        ko: '모놀리식 애플리케이션은 가상머신으로는 그대로 이전할 수 있지만, 컨테이너의 이점을 얻으려면 MSA로 재설계해야 하며 전체 단위로만 확장됩니다.',
      },
    },
    {
      code: 'MODULAR_ARCHITECTURE',
      when: [{ field: 'architecture', in: ['modular'] }],
      ratings: { container: { migrationCost: -20, elasticity: -10 } },
      message: {
        en: 'A modular application needs partial re-architecture before it runs well in containers.',
        ko: '모듈형 애플리케이션은 컨테이너에서 잘 동작하려면 부분적인 재설계가 필요합니다.',
      },
    },
    {
      code: 'MICROSERVICES',
      when: [{ field: 'architecture', in: ['microservices'] }],
      ratings: { container: { migrationCost: 25 } },
      message: {
        en: 'Microservices fit containers with little migration effort.',
        ko: '마이크로서비스는 적은 이전 노력으로 컨테이너에 적합합니다.',
      },
    },
    {
      code: 'ALREADY_CONTAINERIZED',
      when: [{ field: 'architecture', in: ['containerized'] }],
      ratings: { container: { migrationCost: 40 } },
      message: {
        en: 'Already packaged as containers: moving to a container platform costs almost nothing.',
        ko: '이미 컨테이너로 패키징되어 있어 컨테이너 플랫폼으로의 이전 비용이 거의 없습니다.',
      },
    },
    {
      code: 'STATEFUL',
      when: [{ field: 'stateful', in: [true] }],
      ratings: { container: { stability: -10, elasticity: -15 } },
      message: {
        en: 'Stateful: replicas cannot simply be added or replaced, which blunts the container advantages.',
        ko: '상태 저장형: 복제본을 단순히 추가하거나 교체할 수 없어 컨테이너의 이점이 줄어듭니다.',
      },
    },
  ],
  constraints: [
    {
      code: 'NON_LINUX_OS',
      when: [{ field: 'operatingSystem', in: ['windows', 'other'] }],
      exclude: ['container'],
      message: {
        en: 'Runs on {operatingSystem}: it cannot share the Linux host kernel of the container platform.',
        ko: '{operatingSystem} 운영체제에서 실행되므로 컨테이너 플랫폼의 리눅스 호스트 커널을 공유할 수 없습니다.',
      },
    },
    {
      code: 'KERNEL_CUSTOMIZATION',
      when: [{ field: 'requiresKernelCustomization', in: [true] }],
      exclude: ['container'],
      message: {
        en: 'Needs its own kernel modules or settings: containers share one host kernel, a virtual machine has its own.',
        ko: '전용 커널 모듈이나 설정이 필요합니다. 컨테이너는 호스트 커널을 공유하지만 가상머신은 자체 커널을 가집니다.',
      },
    },
  ],
  confidence: { highMargin: 12, mediumMargin: 5, maxAssumedForHigh: 2, insufficientAssumed: 5 },
}
