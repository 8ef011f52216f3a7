import {
  ARCHITECTURE,
  CHARACTERISTIC_NAMES,
  CHARACTERISTIC_VALUES,
  type CharacteristicName,
} from '../schemas/descriptor'
import type { Condition, LocalizedText, PolicyDefinition } from '../schemas/policy'
import { ENGINE_MESSAGES } from './messages'

export interface PolicyProblem {
  path: string
  message: string
}

const RESERVED_CODES = new Set(Object.keys(ENGINE_MESSAGES))
/**
 * Names a plain object answers for without holding them (toString, constructor, …): a platform or
 * criterion so named would read an inherited property wherever code forgets Object.hasOwn.
 */
const INHERITED_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype))

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
    if (INHERITED_NAMES.has(c.name))
      add(`/criteria/${i}/name`, 'is a name every JavaScript object has: choose another')
  })
  policy.platforms.forEach((p, i) => {
    if (INHERITED_NAMES.has(p))
      add(`/platforms/${i}`, 'is a name every JavaScript object has: choose another')
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

  validateModel(policy, add, checkConditions, checkText)
  validateSources(policy, add)

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

type Add = (path: string, message: string) => void

/** The parts of model 2, and that a policy uses only the parts of its own model. */
function validateModel(
  policy: PolicyDefinition,
  add: Add,
  checkConditions: (conditions: readonly Condition[], path: string) => void,
  checkText: (text: LocalizedText, path: string) => void,
) {
  const platforms = new Set(policy.platforms)
  if (policy.model !== 2) {
    const modelTwo = ['readiness', 'gates', 'transition', 'actionable'] as const
    for (const part of modelTwo) if (policy[part] !== undefined) add(`/${part}`, 'needs "model": 2')
    if (policy.confidence.tieMargin !== undefined) add('/confidence/tieMargin', 'needs "model": 2')
    policy.criteria.forEach((c, i) => {
      if (c.role === 'transition') add(`/criteria/${i}/role`, 'transition criteria need "model": 2')
    })
    return
  }
  if (policy.constraints.length > 0) {
    add(
      '/constraints',
      'model 2 states exclusions as readiness checks (verdict not_ready): leave constraints empty',
    )
  }
  const transitionCriteria = new Set(
    policy.criteria.filter((c) => c.role === 'transition').map((c) => c.name),
  )
  policy.criteria.forEach((c, i) => {
    if (c.role === 'transition' && c.baseWeight !== 0) {
      add(`/criteria/${i}/baseWeight`, 'a transition criterion is weighted 0 in the target: set 0')
    }
  })
  if (transitionCriteria.size === policy.criteria.length) add('/criteria', 'needs at least one fit criterion')
  policy.rules.forEach((rule, i) => {
    for (const criterion of Object.keys(rule.weights ?? {})) {
      if (transitionCriteria.has(criterion)) {
        add(`/rules/${i}/weights/${criterion}`, 'a transition criterion is weighted 0 in the target')
      }
    }
  })

  const codes = new Set<string>()
  const unique = (code: string, path: string) => {
    if (codes.has(code)) add(path, `duplicates the code ${code}`)
    codes.add(code)
  }
  const knownPlatforms = (list: readonly string[], path: string) => {
    list.forEach((platform, j) => {
      if (!platforms.has(platform)) add(`${path}/${j}`, 'is not a platform of this policy')
    })
  }
  ;(policy.readiness ?? []).forEach((check, i) => {
    const path = `/readiness/${i}`
    if (RESERVED_CODES.has(check.code)) add(`${path}/code`, 'is reserved for the engine’s own rationale')
    unique(check.code, `${path}/code`)
    knownPlatforms(check.platforms, `${path}/platforms`)
    checkConditions(check.when, `${path}/when`)
    checkText(check.message, `${path}/message`)
    if (check.clearedBy !== undefined && check.verdict !== 'not_ready') {
      add(`${path}/clearedBy`, 'only a not_ready verdict is cleared by an effort')
    }
  })
  ;(policy.gates ?? []).forEach((gate, i) => {
    const path = `/gates/${i}`
    if (RESERVED_CODES.has(gate.code)) add(`${path}/code`, 'is reserved for the engine’s own rationale')
    unique(gate.code, `${path}/code`)
    knownPlatforms(gate.restrict, `${path}/restrict`)
    if (policy.platforms.every((p) => gate.restrict.includes(p))) {
      add(`${path}/restrict`, 'restricts every platform: at least one must stay open')
    }
    checkConditions(gate.when, `${path}/when`)
    if (gate.unless) checkConditions(gate.unless, `${path}/unless`)
    checkText(gate.message, `${path}/message`)
    checkText(gate.requires, `${path}/requires`)
  })
  const effort = policy.transition?.effort
  if (effort) {
    for (const platform of policy.platforms) {
      const row = Object.hasOwn(effort, platform) ? effort[platform] : undefined
      if (!row) {
        add(`/transition/effort/${platform}`, 'is required: every platform has an effort per architecture')
        continue
      }
      for (const architecture of ARCHITECTURE) {
        if (!Object.hasOwn(row, architecture))
          add(`/transition/effort/${platform}/${architecture}`, 'is required')
      }
      for (const key of Object.keys(row)) {
        if (!(ARCHITECTURE as readonly string[]).includes(key)) {
          add(`/transition/effort/${platform}/${key}`, `is not an architecture (${ARCHITECTURE.join(', ')})`)
        }
      }
    }
    for (const platform of Object.keys(effort)) {
      if (!platforms.has(platform)) add(`/transition/effort/${platform}`, 'is not a platform of this policy')
    }
  }
}

/** Every `source` names an entry of `sources`; rating sources name real platforms and criteria. */
function validateSources(policy: PolicyDefinition, add: Add) {
  const known = policy.sources ?? {}
  const check = (refs: readonly string[] | undefined, path: string) => {
    refs?.forEach((ref, j) => {
      if (!Object.hasOwn(known, ref)) add(`${path}/${j}`, `is not a key of sources`)
    })
  }
  const parts: [string, readonly { source?: string[] }[] | undefined][] = [
    ['criteria', policy.criteria],
    ['rules', policy.rules],
    ['constraints', policy.constraints],
    ['readiness', policy.readiness],
    ['gates', policy.gates],
  ]
  for (const [part, items] of parts) {
    items?.forEach((item, i) => {
      check(item.source, `/${part}/${i}/source`)
    })
  }
  check(policy.transition?.source, '/transition/source')
  check(policy.confidence.source, '/confidence/source')
  const criteria = new Set(policy.criteria.map((c) => c.name))
  for (const [platform, row] of Object.entries(policy.ratingSources ?? {})) {
    if (!policy.platforms.includes(platform))
      add(`/ratingSources/${platform}`, 'is not a platform of this policy')
    for (const [criterion, refs] of Object.entries(row)) {
      if (!criteria.has(criterion))
        add(`/ratingSources/${platform}/${criterion}`, 'is not a criterion of this policy')
      check(refs, `/ratingSources/${platform}/${criterion}`)
    }
  }
}
