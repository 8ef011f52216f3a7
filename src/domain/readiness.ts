import type { Characteristics } from '../schemas/descriptor'
import {
  EFFORT_CLASSES,
  type EffortClass,
  type LocalizedText,
  type Policy,
  READINESS_VERDICTS,
  type ReadinessCheck,
  type ReadinessVerdict,
} from '../schemas/policy'
import { allHoldOnFacts, fillText, holdsOnFacts } from './conditions'
import { ENGINE_MESSAGES } from './messages'
import { fillPlaceholders } from './templates'

export interface Finding {
  code: string
  /** applies: the submitted facts meet the check; unanswered: a fact it needs is unknown. */
  status: 'applies' | 'unanswered'
  verdict: ReadinessVerdict
  clearedBy?: EffortClass
  message: LocalizedText
}

export interface PlatformReadiness {
  verdict: ReadinessVerdict
  findings: Finding[]
  /** Codes of checks that apply with `not_ready` and that no effort clears: not even a target. */
  lasting: string[]
  /** Codes of checks that apply with `not_ready`: not a placement for the application as it is. */
  blocking: string[]
  /** The largest effort that clears the blocking checks (none if nothing blocks). */
  clearEffort: EffortClass
}

/** "Not answered: <fields>. Where it applies: <what the check says>." */
function unanswered(
  when: ReadinessCheck['when'],
  message: LocalizedText,
  submitted: Characteristics,
): LocalizedText {
  const fields = when
    .filter((condition) => holdsOnFacts(condition, submitted) === 'unknown')
    .map((c) => c.field)
  const { en, ko } = ENGINE_MESSAGES.UNANSWERED
  const list = fields.join(', ')
  // Filled as every engine message is (templates.ts): a policy's text goes in as it is written,
  // where String.prototype.replace read `$&` or `$'` in it as patterns.
  const fill = (text: string, says: string) =>
    fillPlaceholders(text, (name) => (name === 'fields' ? list : name === 'message' ? says : undefined))
  return { en: fill(en, message.en), ko: fill(ko, message.ko) }
}

/**
 * A check's finding where it applies, its members in the order answers show them, clearedBy only
 * when the check has one: two literals rather than spreading a fresh object into one.
 */
const applying = (check: ReadinessCheck, message: LocalizedText): Finding =>
  check.clearedBy === undefined
    ? { code: check.code, status: 'applies', verdict: check.verdict, message }
    : { code: check.code, status: 'applies', verdict: check.verdict, clearedBy: check.clearedBy, message }

const worse = (a: ReadinessVerdict, b: ReadinessVerdict): ReadinessVerdict =>
  READINESS_VERDICTS.indexOf(a) >= READINESS_VERDICTS.indexOf(b) ? a : b

export const maxEffort = (a: EffortClass, b: EffortClass): EffortClass =>
  EFFORT_CLASSES.indexOf(a) >= EFFORT_CLASSES.indexOf(b) ? a : b

/**
 * Each platform's readiness for the application as it is today, from the policy's readiness
 * checks tested on the facts as submitted (never on assumptions). A check whose facts are
 * unknown makes the platform `unknown` at best; answering a blocker `no` can therefore only
 * improve a verdict, and answering it `yes` only worsen one. The verdict is the worst finding.
 */
export function assessReadiness(
  submitted: Characteristics,
  policy: Policy,
  messages = true,
): PlatformReadiness[] {
  const { platforms } = policy
  const result: PlatformReadiness[] = platforms.map(() => ({
    verdict: 'ready',
    findings: [],
    lasting: [],
    blocking: [],
    clearEffort: 'none',
  }))
  for (const check of policy.readiness ?? []) {
    const truth = allHoldOnFacts(check.when, submitted)
    if (truth === false) continue
    const finding: Finding =
      truth === true
        ? applying(check, messages ? fillText(check.message, submitted) : check.message)
        : {
            code: check.code,
            status: 'unanswered',
            verdict: 'unknown',
            message: messages
              ? unanswered(check.when, fillText(check.message, submitted), submitted)
              : check.message,
          }
    for (let p = 0; p < platforms.length; p++) {
      if (!check.platforms.includes(platforms[p] as string)) continue
      const r = result[p] as PlatformReadiness
      r.findings.push(finding)
      r.verdict = worse(r.verdict, finding.verdict)
      if (finding.status === 'applies' && finding.verdict === 'not_ready') {
        r.blocking.push(check.code)
        if (check.clearedBy === undefined) r.lasting.push(check.code)
        else r.clearEffort = maxEffort(r.clearEffort, check.clearedBy)
      }
    }
  }
  return result
}
