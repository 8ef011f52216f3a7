// @ts-check
/**
 * The pages' words in English and Korean, and number and date formats. The page's language is
 * the `lang` attribute the service rendered (from `?lang=` or Accept-Language); the API is asked
 * for the same language, so its messages (rationale, blockers, hints) match the page.
 */

/** @typedef {'en' | 'ko'} Language */

/** @type {Language} */
export const language = document.documentElement.lang === 'ko' ? 'ko' : 'en'

const WORDS = {
  en: {
    keyLegend: 'Sign in with your API key',
    keyLabel: 'API key',
    keyHelp:
      'Kept in this browser tab only (session storage) and sent only to this service, in the Authorization header. Closing the tab forgets it.',
    keyUse: 'Use this key',
    keyRefused: 'This key was not accepted (unknown or revoked).',
    signedInAs: 'Signed in: {org} ({role})',
    forgetKey: 'Forget the key',
    roles: { submitter: 'submitter', auditor: 'auditor', admin: 'administrator' },
    notFound:
      'No assessment with this id is visible to your key. A submitter sees its own organisation’s assessments only.',
    failed: 'The service answered {status}: {detail}',
    unreachable: 'The service could not be reached.',
    summary: 'Summary',
    application: 'Application',
    externalRef: 'Reference',
    description: 'Description',
    recommendation: 'Recommendation',
    finalPlacement: 'Final placement (overridden)',
    confidence: 'Confidence',
    outcome: 'Outcome',
    margin: 'Margin',
    marginText: '{margin} points ahead of {runnerUp}',
    marginNone: 'no other eligible platform to compare with',
    target: 'Target',
    interim: 'Interim placement',
    effort: 'Effort of the move',
    scoreWinner: 'Best score before eligibility',
    overruledBy: 'Overruled by',
    policy: 'Policy',
    policyText: '{name} — {id}, version {version}',
    stale: 'stale: made under a policy that is no longer the active one',
    assessmentId: 'Assessment id',
    org: 'Organisation',
    decidedAt: 'Decided at',
    evaluatedAt: 'Evaluated at',
    notStored: 'A what-if evaluation: not stored, not in the audit log.',
    supersedes: 'Re-evaluates',
    audit: 'Audit log',
    auditText: 'entry {seq}, hash {hash}',
    auditCheckpoint: 'covered by signed checkpoint {size} (key {keyId})',
    auditMissing: 'not in the audit log',
    scoresTitle: 'Scores: what each criterion contributes',
    scoresCaption:
      'Each bar is a platform’s score out of 100, made of each criterion’s weight × rating; the segments add up to the score.',
    scoresRounding: 'The contributions add up to {sum}; the score shown is rounded to {score}.',
    weightsTitle: 'Weights and flip points',
    weightsCaption:
      'Each bar is a criterion’s weight (all weights add up to 1). ▲ marks the weight at which the recommendation would change, the other weights rescaled in proportion; no mark: it does not change within 0–1.',
    flipsAt: 'flips at {weight}',
    neverFlips: 'does not flip',
    criteriaTable: 'Criteria',
    criterion: 'Criterion',
    weight: 'Weight',
    flipPoint: 'Flip point',
    rating: 'Rating',
    contribution: 'Contribution',
    score: 'Score',
    total: 'Score',
    roleTransition: 'transition (weighted 0 in the target)',
    characteristics: 'Characteristics',
    characteristic: 'Characteristic',
    value: 'Value',
    assumed: 'assumed',
    assumedNote: 'Assumed: not submitted, so the policy’s default was used.',
    readiness: 'Readiness per platform',
    verdict: 'Verdict',
    blockers: 'Blockers',
    clearedBy: 'cleared by',
    noBlockers: 'No blockers.',
    unanswered: 'unanswered',
    applies: 'applies',
    constraints: 'Constraints and gates that fired',
    noConstraints: 'No constraint or gate fired.',
    excludes: 'excludes',
    conflicts: 'Gates that overruled the scores',
    rationale: 'Rules that fired',
    counterfactuals: 'What would change the recommendation',
    noCounterfactuals: 'No single change of one characteristic would change it.',
    overrides: 'Overrides',
    noOverrides: 'No override: the recommendation stands.',
    reasonCode: 'Reason code',
    reason: 'Reason',
    key: 'Key',
    time: 'Time',
    placement: 'Placement',
    changes: 'What the re-evaluation changed',
    from: 'from',
    to: 'to',
    yes: 'yes',
    no: 'no',
    print: 'Print',
    whatIfIntro:
      'Describe an application and see where it would run. Nothing is stored. A portal can link here with the descriptor in the address fragment: #descriptor=<base64url of the JSON>.',
    name: 'Application name',
    moreCharacteristics: 'More characteristics (JSON object, optional)',
    moreHelp: 'For example {"stateful": true, "operatingSystem": "linux", "vendorForbidsContainers": "no"}',
    activePolicy: 'the active policy',
    evaluate: 'Evaluate',
    notJson: 'More characteristics must be a JSON object.',
    unreadableLink: 'The descriptor in this link could not be read (base64url of a JSON object is expected).',
    invalid: 'The descriptor was refused',
    filters: 'Filters',
    any: 'any',
    allOrgs: 'all organisations',
    platform: 'Platform',
    dateFrom: 'From',
    dateTo: 'To',
    overridden: 'Overridden',
    pageSize: 'Per page',
    search: 'Show',
    reset: 'Clear',
    results: 'Assessments, newest first',
    noResults: 'No assessment matches these filters.',
    noResultsYet: 'None of the assessments read for this page matches; the next page reads older ones.',
    nextPage: 'Next page',
    previousPage: 'Previous page',
    firstPage: 'First page',
    pageNumber: 'Page {n}',
    exportCsv: 'Export CSV',
    exportNdjson: 'Export NDJSON',
    exported: 'Downloaded {file}.',
    verify: 'Verify the audit log',
    verifying: 'Verifying…',
    verifyOk: 'The audit log is intact: {checked} entries checked up to the head {head}.',
    verifyOkCheckpoint: 'Its latest signed checkpoint ({size} entries) has a valid signature.',
    verifyFailed: 'The audit log does not verify: {reason} (first record found wrong: {id}).',
    ownOrgOnly: 'Your key is a submitter’s: you see {org} only.',
    report: 'report',
    staleShort: 'Stale',
    finalPlacementShort: 'Final placement',
  },
  ko: {
    keyLegend: 'API 키로 로그인',
    keyLabel: 'API 키',
    keyHelp:
      '이 브라우저 탭에만(세션 저장소) 보관되며 Authorization 헤더로 이 서비스에만 전송됩니다. 탭을 닫으면 지워집니다.',
    keyUse: '이 키 사용',
    keyRefused: '이 키는 받아들여지지 않았습니다(알 수 없거나 폐기된 키).',
    signedInAs: '로그인: {org} ({role})',
    forgetKey: '키 지우기',
    roles: { submitter: '제출자', auditor: '감사자', admin: '관리자' },
    notFound: '이 ID의 평가를 이 키로 볼 수 없습니다. 제출자는 자기 기관의 평가만 볼 수 있습니다.',
    failed: '서비스 응답 {status}: {detail}',
    unreachable: '서비스에 연결할 수 없습니다.',
    summary: '요약',
    application: '애플리케이션',
    externalRef: '참조 번호',
    description: '설명',
    recommendation: '권고 플랫폼',
    finalPlacement: '최종 배치(재정의됨)',
    confidence: '신뢰도',
    outcome: '결과',
    margin: '점수 차',
    marginText: '{runnerUp}보다 {margin}점 높음',
    marginNone: '비교할 다른 적격 플랫폼이 없음',
    target: '목표 플랫폼',
    interim: '임시 배치',
    effort: '전환 수준',
    scoreWinner: '적격성 판단 전 최고 점수',
    overruledBy: '배제 사유',
    policy: '정책',
    policyText: '{name} — {id}, 버전 {version}',
    stale: '이전 정책: 현재 활성 정책이 아닌 정책으로 결정됨',
    assessmentId: '평가 ID',
    org: '기관',
    decidedAt: '결정 시각',
    evaluatedAt: '평가 시각',
    notStored: '가정 평가: 저장되지 않으며 감사 로그에 없습니다.',
    supersedes: '재평가 대상',
    audit: '감사 로그',
    auditText: '항목 {seq}, 해시 {hash}',
    auditCheckpoint: '서명된 체크포인트 {size}에 포함됨(키 {keyId})',
    auditMissing: '감사 로그에 없음',
    scoresTitle: '점수: 각 기준의 기여도',
    scoresCaption:
      '막대는 플랫폼의 100점 만점 점수이며, 각 기준의 가중치 × 평점으로 이루어집니다. 구간의 합이 점수입니다.',
    scoresRounding: '기여도의 합은 {sum}이며, 표시된 점수는 {score}(으)로 반올림되었습니다.',
    weightsTitle: '가중치와 전환점',
    weightsCaption:
      '막대는 각 기준의 가중치입니다(모든 가중치의 합은 1). ▲는 다른 가중치를 비례 조정할 때 권고가 바뀌는 가중치입니다. 표시가 없으면 0–1 범위에서 바뀌지 않습니다.',
    flipsAt: '{weight}에서 전환',
    neverFlips: '전환 없음',
    criteriaTable: '평가 기준',
    criterion: '기준',
    weight: '가중치',
    flipPoint: '전환점',
    rating: '평점',
    contribution: '기여도',
    score: '점수',
    total: '점수',
    roleTransition: '전환 기준(목표 산정 시 가중치 0)',
    characteristics: '특성',
    characteristic: '특성',
    value: '값',
    assumed: '가정값',
    assumedNote: '가정값: 제출되지 않아 정책의 기본값을 사용했습니다.',
    readiness: '플랫폼별 준비 상태',
    verdict: '판정',
    blockers: '제약 요인',
    clearedBy: '해소 방법',
    noBlockers: '제약 요인 없음.',
    unanswered: '답변 없음',
    applies: '해당',
    constraints: '적용된 제약 조건과 관문',
    noConstraints: '적용된 제약 조건이나 관문이 없습니다.',
    excludes: '제외',
    conflicts: '점수를 뒤집은 관문',
    rationale: '적용된 규칙',
    counterfactuals: '권고를 바꿀 수 있는 변화',
    noCounterfactuals: '특성 하나만 바꿔서는 권고가 바뀌지 않습니다.',
    overrides: '재정의',
    noOverrides: '재정의 없음: 권고가 유지됩니다.',
    reasonCode: '사유 코드',
    reason: '사유',
    key: '키',
    time: '시각',
    placement: '배치',
    changes: '재평가로 바뀐 점',
    from: '이전',
    to: '이후',
    yes: '예',
    no: '아니요',
    print: '인쇄',
    whatIfIntro:
      '애플리케이션을 기술하면 어디에서 운영해야 하는지 보여 줍니다. 아무것도 저장하지 않습니다. 포털은 주소의 프래그먼트에 기술서를 넣어 이곳에 연결할 수 있습니다: #descriptor=<JSON의 base64url>.',
    name: '애플리케이션 이름',
    moreCharacteristics: '추가 특성(JSON 객체, 선택)',
    moreHelp: '예: {"stateful": true, "operatingSystem": "linux", "vendorForbidsContainers": "no"}',
    activePolicy: '활성 정책',
    evaluate: '평가',
    notJson: '추가 특성은 JSON 객체여야 합니다.',
    unreadableLink: '이 링크의 기술서를 읽을 수 없습니다(JSON 객체의 base64url이어야 합니다).',
    invalid: '기술서가 거부되었습니다',
    filters: '필터',
    any: '전체',
    allOrgs: '모든 기관',
    platform: '플랫폼',
    dateFrom: '시작일',
    dateTo: '종료일',
    overridden: '재정의됨',
    pageSize: '페이지당',
    search: '조회',
    reset: '초기화',
    results: '평가 목록(최신순)',
    noResults: '조건에 맞는 평가가 없습니다.',
    noResultsYet:
      '이 페이지에서 읽은 평가 중에는 조건에 맞는 것이 없습니다. 다음 페이지에서 더 오래된 평가를 읽습니다.',
    nextPage: '다음 페이지',
    previousPage: '이전 페이지',
    firstPage: '첫 페이지',
    pageNumber: '{n}쪽',
    exportCsv: 'CSV 내보내기',
    exportNdjson: 'NDJSON 내보내기',
    exported: '{file} 파일을 내려받았습니다.',
    verify: '감사 로그 검증',
    verifying: '검증 중…',
    verifyOk: '감사 로그가 온전합니다: 헤드 {head}까지 {checked}개 항목을 확인했습니다.',
    verifyOkCheckpoint: '최신 서명 체크포인트({size}개 항목)의 서명이 유효합니다.',
    verifyFailed: '감사 로그 검증 실패: {reason} (처음 발견된 잘못된 기록: {id}).',
    ownOrgOnly: '제출자 키입니다: {org}의 평가만 볼 수 있습니다.',
    report: '보고서',
    staleShort: '이전 정책',
    finalPlacementShort: '최종 배치',
  },
}

/** Names of what the API returns as codes: platforms, criteria, characteristics, values. */
const NAMES = {
  en: {
    hypervisor: 'Hypervisor (virtual machines)',
    container: 'Container',
    sandboxed_container: 'Sandboxed container',
    stability: 'Stability',
    security: 'Security',
    elasticity: 'Elasticity',
    migrationCost: 'Migration cost',
    businessCriticality: 'Business criticality',
    dataClassification: 'Data classification',
    loadVariability: 'Load variability',
    architecture: 'Architecture',
    peakToAverageRatio: 'Peak-to-average load',
    availabilityTarget: 'Availability target (%)',
    stateful: 'Stateful',
    operatingSystem: 'Operating system',
    requiresKernelCustomization: 'Needs kernel customisation',
    releaseFrequency: 'Release frequency',
    internetFacing: 'Internet-facing',
    vendorForbidsContainers: 'Vendor forbids containers',
    hostBoundLicensing: 'Host-bound licensing',
    specialHardware: 'Special hardware',
    privilegedAccess: 'Privileged access',
    localState: 'Local state',
    fixedNetworkIdentity: 'Fixed network identity',
    staticClustering: 'Static clustering',
    uncleanRestart: 'Cannot restart cleanly',
    osEndOfLife: 'OS past end of life',
    nonX86Platform: 'Non-x86 platform',
    low: 'low',
    medium: 'medium',
    high: 'high',
    mission_critical: 'mission critical',
    public: 'public',
    internal: 'internal',
    confidential: 'confidential',
    secret: 'secret',
    steady: 'steady',
    moderate: 'moderate',
    extreme: 'extreme',
    monolith: 'monolith',
    modular: 'modular',
    microservices: 'microservices',
    containerized: 'containerised',
    linux: 'Linux',
    windows: 'Windows',
    other: 'other',
    yearly: 'yearly',
    quarterly: 'quarterly',
    monthly: 'monthly',
    weekly: 'weekly',
    daily: 'daily',
    unknown: 'unknown',
    yes: 'yes',
    no: 'no',
    clear: 'clear',
    no_clear_preference: 'no clear preference',
    no_eligible_platform: 'no eligible platform (needs review)',
    ready: 'ready',
    ready_with_conditions: 'ready with conditions',
    not_ready: 'not ready',
    none: 'none',
    rehost: 'rehost',
    replatform: 'replatform',
    refactor: 'refactor',
    rearchitect: 'rearchitect',
    constraint: 'constraint',
    readiness: 'readiness',
    gate: 'gate',
  },
  ko: {
    hypervisor: '하이퍼바이저(가상머신)',
    container: '컨테이너',
    sandboxed_container: '샌드박스 컨테이너',
    stability: '안정성',
    security: '보안',
    elasticity: '탄력성',
    migrationCost: '이전 비용',
    businessCriticality: '업무 중요도',
    dataClassification: '데이터 등급',
    loadVariability: '부하 변동',
    architecture: '아키텍처',
    peakToAverageRatio: '최대/평균 부하 비율',
    availabilityTarget: '가용성 목표(%)',
    stateful: '상태 보유',
    operatingSystem: '운영체제',
    requiresKernelCustomization: '커널 수정 필요',
    releaseFrequency: '배포 주기',
    internetFacing: '인터넷 노출',
    vendorForbidsContainers: '공급사의 컨테이너 미지원',
    hostBoundLicensing: '호스트 종속 라이선스',
    specialHardware: '특수 하드웨어',
    privilegedAccess: '특권 접근',
    localState: '로컬 상태',
    fixedNetworkIdentity: '고정 네트워크 식별자',
    staticClustering: '정적 클러스터 구성',
    uncleanRestart: '안전한 재시작 불가',
    osEndOfLife: '운영체제 지원 종료',
    nonX86Platform: 'x86 이외 플랫폼',
    low: '낮음',
    medium: '보통',
    high: '높음',
    mission_critical: '핵심 업무',
    public: '공개',
    internal: '내부',
    confidential: '기밀',
    secret: '비밀',
    steady: '안정적',
    moderate: '보통',
    extreme: '극심',
    monolith: '모놀리식',
    modular: '모듈형',
    microservices: '마이크로서비스',
    containerized: '컨테이너화됨',
    linux: '리눅스',
    windows: '윈도우',
    other: '기타',
    yearly: '연 1회',
    quarterly: '분기',
    monthly: '월',
    weekly: '주',
    daily: '매일',
    unknown: '알 수 없음',
    yes: '예',
    no: '아니요',
    clear: '명확',
    no_clear_preference: '뚜렷한 우열 없음',
    no_eligible_platform: '적격 플랫폼 없음(검토 필요)',
    ready: '준비됨',
    ready_with_conditions: '조건부 준비됨',
    not_ready: '준비 안 됨',
    none: '없음',
    rehost: '리호스트',
    replatform: '리플랫폼',
    refactor: '리팩터',
    rearchitect: '재설계',
    constraint: '제약 조건',
    readiness: '준비 상태',
    gate: '관문',
  },
}

/**
 * A word of the page, with `{name}` placeholders filled in.
 * @param {keyof typeof WORDS.en} key
 * @param {Record<string, string | number>} [values]
 */
export function t(key, values = {}) {
  const word = WORDS[language][key]
  if (typeof word !== 'string') return key
  return word.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? `{${name}}`))
}

/**
 * A sentence with elements in its placeholders (a number the tests and readers can find, say).
 * @param {string} sentence  with `{name}` placeholders
 * @param {Record<string, string | Node>} parts
 * @returns {(string | Node)[]}
 */
export function fill(sentence, parts) {
  return sentence.split(/(\{\w+\})/).map((piece) => {
    const name = /^\{(\w+)\}$/.exec(piece)?.[1]
    return name !== undefined && parts[name] !== undefined
      ? /** @type {string | Node} */ (parts[name])
      : piece
  })
}

/** @param {string} role */
export function roleName(role) {
  return /** @type {Record<string, string>} */ (WORDS[language].roles)[role] ?? role
}

/**
 * The reader's name for a code the API returns; the code itself if it has none (a policy may
 * bring platforms and criteria of its own).
 * @param {string | boolean | number} code
 */
export function nameOf(code) {
  if (typeof code === 'boolean') return code ? t('yes') : t('no')
  if (typeof code === 'number') return formatNumber(code)
  return /** @type {Record<string, string>} */ (NAMES[language])[code] ?? code
}

const numberFormat = new Intl.NumberFormat(language === 'ko' ? 'ko-KR' : 'en-GB', {
  maximumFractionDigits: 4,
  useGrouping: false,
})
/**
 * A number as the API gives it (no rounding beyond its own four decimals), in the page's locale.
 * @param {number} value
 */
export function formatNumber(value) {
  return numberFormat.format(value)
}

const dateFormat = new Intl.DateTimeFormat(language === 'ko' ? 'ko-KR' : 'en-GB', {
  dateStyle: 'long',
  timeStyle: 'long',
  timeZone: 'UTC',
})
/**
 * A time in words, in UTC (the stored time), with the ISO form beside it for the record.
 * @param {string} iso
 */
export function formatTime(iso) {
  return `${dateFormat.format(new Date(iso))} (${iso})`
}

const shortFormat = new Intl.DateTimeFormat(language === 'ko' ? 'ko-KR' : 'en-GB', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
})
/**
 * A time for a list: to the minute, in UTC (the exact ISO time is the element's title).
 * @param {string} iso
 */
export function formatShortTime(iso) {
  return `${shortFormat.format(new Date(iso))} UTC`
}
