import type { FaultRule } from './types';

/** A queue of injected faults; each matching request consumes one use of the first matching rule. */
export class FaultBook {
  private rules: Array<FaultRule & { left: number }> = [];

  inject(rule: FaultRule): void {
    if (!Number.isInteger(rule.count) || rule.count < 1) throw new RangeError('FaultRule.count must be a positive integer');
    if (rule.status === undefined && rule.delayMs === undefined) throw new RangeError('FaultRule needs a status, a delayMs, or both');
    this.rules.push({ ...rule, left: rule.count });
  }

  clear(): void {
    this.rules = [];
  }

  /** The rule that applies to this request (its use is consumed), or undefined. */
  take(method: string, path: string): FaultRule | undefined {
    const rule = this.rules.find((r) => matches(r, method, path));
    if (!rule) return undefined;
    rule.left -= 1;
    if (rule.left === 0) this.rules = this.rules.filter((r) => r !== rule);
    return rule;
  }
}

function matches(rule: FaultRule, method: string, path: string): boolean {
  if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) return false;
  return typeof rule.path === 'string' ? rule.path === path : rule.path.test(path);
}
