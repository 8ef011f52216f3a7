import type { LocalizedText } from '../schemas/policy'
import { fillPlaceholders } from './templates'

/** Rationale the engine itself states, whatever the policy. `{name}` is filled per use. */
export const ENGINE_MESSAGES = {
  RECOMMENDATION: {
    en: '{winner} scores {winnerScore} of 100; the next eligible platform, {runnerUp}, scores {runnerUpScore}.',
    ko: '{winner}의 점수는 100점 만점에 {winnerScore}점이며, 다음으로 적합한 플랫폼인 {runnerUp}은(는) {runnerUpScore}점입니다.',
  },
  ONLY_ELIGIBLE: {
    en: '{winner} is the only platform that the hard constraints leave eligible.',
    ko: '필수 제약 조건을 충족하는 플랫폼은 {winner}뿐입니다.',
  },
  NO_ELIGIBLE_PLATFORM: {
    en: 'The hard constraints exclude every platform; {winner} is only the best score and needs review.',
    ko: '필수 제약 조건이 모든 플랫폼을 제외합니다. {winner}은(는) 점수가 가장 높을 뿐이므로 검토가 필요합니다.',
  },
  THIN_MARGIN: {
    en: 'The call is close: a margin of {margin} points. Small changes in the inputs or weights could reverse it.',
    ko: '점수 차이가 {margin}점으로 근소합니다. 입력이나 가중치가 조금만 달라져도 결과가 바뀔 수 있습니다.',
  },
  ASSUMED_INPUTS: {
    en: 'Not submitted and assumed: {assumed}. Supplying them raises confidence.',
    ko: '제출되지 않아 가정한 항목: {assumed}. 이 값을 제공하면 신뢰도가 높아집니다.',
  },
  INSUFFICIENT_DATA: {
    en: 'Too little is known about this application ({count} optional characteristics missing) for a firm recommendation; treat it as provisional.',
    ko: '이 애플리케이션에 대한 정보가 부족하여(선택 특성 {count}개 누락) 확정적인 권고를 할 수 없습니다. 잠정적인 결과로 취급하십시오.',
  },
  COUNTERFACTUAL: {
    en: "With {field} '{value}' the recommendation would be {platform}.",
    ko: "{field} 값이 '{value}'이면 권고는 {platform}입니다.",
  },
  UNANSWERED: {
    en: 'Not answered: {fields}. Where it applies: {message}',
    ko: '답변 없음: {fields}. 해당되는 경우: {message}',
  },
  NO_CLEAR_PREFERENCE: {
    en: 'No clear preference: {candidates} score within {tieMargin} points of each other ({scores}); {winner} is named first{why}. Decide on what the scores do not measure.',
    ko: '뚜렷한 우열이 없습니다: {candidates}의 점수 차이가 {tieMargin}점 미만입니다({scores}). {winner}을(를) 먼저 제시합니다{whyKo}. 점수가 측정하지 않는 요소로 결정하십시오.',
  },
  NO_ELIGIBLE_PLATFORM_READINESS: {
    en: 'No platform is eligible: {blocked}. {winner} is only the best score; keep the application where it runs and review.',
    ko: '적합한 플랫폼이 없습니다: {blocked}. {winner}은(는) 점수가 가장 높을 뿐이므로 현재 환경을 유지하고 검토하십시오.',
  },
  OVERRULED: {
    en: 'The scores favour {scoreWinner} ({scoreWinnerScore} against {winnerScore}), but {codes} rule(s) it out; recommended: {winner}.',
    ko: '점수로는 {scoreWinner}이(가) 앞서지만({scoreWinnerScore}점 대 {winnerScore}점) {codes} 때문에 제외되어 {winner}을(를) 권고합니다.',
  },
  GATE_WAIVED: {
    en: '{code}: the policy admits {platforms} here because its conditions for it hold; flagged for review.',
    ko: '{code}: 정책이 정한 조건을 충족하므로 {platforms}을(를) 허용합니다. 검토 대상으로 표시합니다.',
  },
  TARGET_DIRECT: {
    en: 'Target: {target}. The move is {effort}; no interim placement is needed.',
    ko: '목표 플랫폼: {target}. 전환 수준은 {effort}이며 중간 배치가 필요하지 않습니다.',
  },
  TARGET_INTERIM: {
    en: 'Target: {target}, once the application is re-architected ({effort}). Until then run it on {interim}, which takes it as it is ({interimEffort}).',
    ko: '목표 플랫폼: {target}(애플리케이션 재설계 후, 전환 수준 {effort}). 그때까지는 현재 형태 그대로 옮길 수 있는 {interim}에서 운영하십시오({interimEffort}).',
  },
  TARGET_NO_INTERIM: {
    en: 'Target: {target}, once the application is re-architected ({effort}). No platform takes it as it is: it stays where it runs until then.',
    ko: '목표 플랫폼: {target}(애플리케이션 재설계 후, 전환 수준 {effort}). 현재 형태 그대로 옮길 수 있는 플랫폼이 없으므로 그때까지 현재 환경에서 운영하십시오.',
  },
  NOT_READY_TODAY: {
    en: '{target} is not ready for the application as it is ({codes}); the move clears that at effort {effort}.',
    ko: '{target}은(는) 현재 형태의 애플리케이션에 준비되어 있지 않습니다({codes}). 전환({effort}) 과정에서 해소됩니다.',
  },
  READINESS_UNKNOWN: {
    en: 'Readiness of {winner} is unknown until these are answered: {codes}. Confidence is capped at medium.',
    ko: '다음 항목에 답하기 전까지 {winner}의 준비 상태를 알 수 없습니다: {codes}. 신뢰도는 보통 이하로 제한됩니다.',
  },
  CONFLICT_REVIEW: {
    en: 'A gate of the policy overruled the scores: confidence is capped at medium and the conflict needs a planner’s review.',
    ko: '정책의 제한 규칙이 점수 결과를 뒤집었습니다. 신뢰도는 보통 이하로 제한되며 담당자의 검토가 필요합니다.',
  },
} as const satisfies Record<string, LocalizedText>

export function format(text: LocalizedText, values: Record<string, string | number>): LocalizedText {
  const lookup = (name: string) => (name in values ? String(values[name]) : undefined)
  const fill = (s: string) => fillPlaceholders(s, lookup)
  return { en: fill(text.en), ko: fill(text.ko) }
}
