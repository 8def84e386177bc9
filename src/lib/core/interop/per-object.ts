import type { CheckSpec, RuleExpectation, SpecObject, SpecRule } from './spec';

/**
 * What the per-object writers (Great Expectations suites, Soda contracts)
 * share: a GX suite and a Soda contract each check one dataset, so the spec
 * splits into one file per object.
 */

/** `<name>` for the primary object, `<name>.<object>` for the others: the stem of each per-object file. */
export function objectFileStem(spec: CheckSpec, object: SpecObject): string {
  return object.primary ? spec.name : `${spec.name}.${object.objectName}`;
}

/** The rules reading this object, in spec order. */
export function objectRules(spec: CheckSpec, object: SpecObject): SpecRule[] {
  return spec.rules.filter((rule) => rule.object === object.objectName);
}

/** The object a relation rule's `{{parent}}` names, if any. */
export function ruleParent(rule: SpecRule): string | undefined {
  return rule.params.parentObject;
}

/** The rule holds only when no row violates it: a count of violations that must be 0. */
export function allowsNoViolation(rule: SpecRule): boolean {
  return (
    rule.measure === 'violations' &&
    rule.expect.threshold === 0 &&
    (rule.expect.op === '=' || rule.expect.op === '<=')
  );
}

/** Whether `value <op> threshold` holds: the rule's pass condition. */
export function expectationHolds(value: number, expect: RuleExpectation): boolean {
  switch (expect.op) {
    case '=':
      return value === expect.threshold;
    case '<=':
      return value <= expect.threshold;
    case '>=':
      return value >= expect.threshold;
  }
}
