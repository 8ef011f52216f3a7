import type { LocalizedText } from '../schemas/policy'

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
} as const satisfies Record<string, LocalizedText>

export function format(text: LocalizedText, values: Record<string, string | number>): LocalizedText {
  const fill = (s: string) =>
    s.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole))
  return { en: fill(text.en), ko: fill(text.ko) }
}
