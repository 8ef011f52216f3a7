import { CHARACTERISTIC_NAMES, CHARACTERISTIC_VALUES, type CharacteristicName } from '../schemas/descriptor'
import type { Condition, LocalizedText, PolicyDefinition } from '../schemas/policy'
import { ENGINE_MESSAGES } from './messages'

export interface PolicyProblem {
  path: string
  message: string
}

const RESERVED_CODES = new Set(Object.keys(ENGINE_MESSAGES))

/**
 * Checks what the schema cannot: that the parts of a policy refer to each other correctly.
 * Returns every problem found (empty: the policy is sound), each located by a JSON pointer.
 */
export function validatePolicy(policy: PolicyDefinition): PolicyProblem[] {
  const problems: PolicyProblem[] = []
  const add = (path: string, message: string) => problems.push({ path, message })
  const platforms = new Set(policy.platforms)
  const criteria = policy.criteria.map((c) => c.name)
  const criterionSet = new Set(criteria)

  policy.criteria.forEach((c, i) => {
    if (criteria.indexOf(c.name) !== i) add(`/criteria/${i}/name`, `duplicates criterion ${c.name}`)
  })

  for (const platform of policy.platforms) {
    const row = policy.ratings[platform]
    if (!row) {
      add(`/ratings/${platform}`, 'is required: every platform is rated on every criterion')
      continue
    }
    for (const c of criteria) if (row[c] === undefined) add(`/ratings/${platform}/${c}`, 'is required')
    for (const c of Object.keys(row))
      if (!criterionSet.has(c)) add(`/ratings/${platform}/${c}`, 'is not a criterion of this policy')
  }
  for (const platform of Object.keys(policy.ratings)) {
    if (!platforms.has(platform)) add(`/ratings/${platform}`, 'is not a platform of this policy')
  }

  const checkConditions = (conditions: readonly Condition[], path: string) => {
    conditions.forEach((condition, j) => {
      checkCondition(condition, `${path}/${j}`, add)
    })
  }
  const checkText = (text: LocalizedText, path: string) => {
    for (const language of ['en', 'ko'] as const) {
      for (const [, name] of text[language].matchAll(/\{(\w+)\}/g)) {
        if (!CHARACTERISTIC_NAMES.includes(name as CharacteristicName)) {
          add(`${path}/${language}`, `{${name}} is not a characteristic`)
        }
      }
    }
  }

  // The lowest total weight rules could leave: every weight-lowering rule firing at once.
  const lowest = new Map(policy.criteria.map((c) => [c.name, c.baseWeight]))
  policy.rules.forEach((rule, i) => {
    const path = `/rules/${i}`
    if (RESERVED_CODES.has(rule.code)) add(`${path}/code`, 'is reserved for the engine’s own rationale')
    checkConditions(rule.when, `${path}/when`)
    checkText(rule.message, `${path}/message`)
    for (const [criterion, delta] of Object.entries(rule.weights ?? {})) {
      if (!criterionSet.has(criterion))
        add(`${path}/weights/${criterion}`, 'is not a criterion of this policy')
      else if (delta < 0) lowest.set(criterion, (lowest.get(criterion) as number) + delta)
    }
    for (const [platform, row] of Object.entries(rule.ratings ?? {})) {
      if (!platforms.has(platform)) add(`${path}/ratings/${platform}`, 'is not a platform of this policy')
      for (const criterion of Object.keys(row)) {
        if (!criterionSet.has(criterion))
          add(`${path}/ratings/${platform}/${criterion}`, 'is not a criterion of this policy')
      }
    }
  })
  const floor = [...lowest.values()].reduce((sum, w) => sum + Math.max(0, w), 0)
  if (floor <= 0) add('/rules', 'weight-lowering rules could leave every criterion at weight 0')

  policy.constraints.forEach((constraint, i) => {
    const path = `/constraints/${i}`
    if (RESERVED_CODES.has(constraint.code)) add(`${path}/code`, 'is reserved for the engine’s own rationale')
    checkConditions(constraint.when, `${path}/when`)
    checkText(constraint.message, `${path}/message`)
    constraint.exclude.forEach((platform, j) => {
      if (!platforms.has(platform)) add(`${path}/exclude/${j}`, 'is not a platform of this policy')
    })
    if (policy.platforms.every((p) => constraint.exclude.includes(p))) {
      add(`${path}/exclude`, 'excludes every platform: at least one must stay eligible')
    }
  })

  const { highMargin, mediumMargin, maxAssumedForHigh, insufficientAssumed } = policy.confidence
  if (mediumMargin > highMargin) add('/confidence/mediumMargin', 'must not exceed highMargin')
  if (insufficientAssumed <= maxAssumedForHigh)
    add('/confidence/insufficientAssumed', 'must exceed maxAssumedForHigh')
  return problems
}

function checkCondition(condition: Condition, path: string, add: (path: string, message: string) => void) {
  const values = CHARACTERISTIC_VALUES[condition.field]
  if (condition.in === undefined && condition.gte === undefined && condition.lt === undefined) {
    add(path, 'needs at least one test: in, gte or lt')
  }
  if (values === 'number') {
    if (condition.in !== undefined) add(`${path}/in`, `${condition.field} is a number: use gte and lt`)
    if (condition.gte !== undefined && condition.lt !== undefined && condition.gte >= condition.lt) {
      add(path, 'gte must be below lt, or the condition never holds')
    }
    return
  }
  if (condition.gte !== undefined || condition.lt !== undefined) {
    add(path, `${condition.field} is not a number: use in`)
  }
  condition.in?.forEach((value, k) => {
    if (!values.includes(value)) {
      add(`${path}/in/${k}`, `is not a value of ${condition.field} (${values.join(', ')})`)
    }
  })
}
