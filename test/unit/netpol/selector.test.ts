import { describe, expect, it } from 'vitest';
import type { LabelSelector } from '../../../src/netpol/model.ts';
import { selects as matchesSelector } from '../../../src/core/label-selector.ts';
import { labelKeyError, labelValueError, validateSelector } from '../../../src/netpol/selector.ts';
import type { RawLabelSelector } from '../../../src/netpol/selector.ts';

const labels = { app: 'web', tier: 'front', 'example.com/owner': 'team-a' };

describe('matchesSelector', () => {
  it.each<[string, LabelSelector, boolean]>([
    ['empty selector matches everything', {}, true],
    ['empty matchLabels and matchExpressions match everything', { matchLabels: {}, matchExpressions: [] }, true],
    ['matchLabels equal', { matchLabels: { app: 'web' } }, true],
    ['matchLabels all must hold', { matchLabels: { app: 'web', tier: 'back' } }, false],
    ['matchLabels on a missing key', { matchLabels: { zone: 'a' } }, false],
    ['prefixed key', { matchLabels: { 'example.com/owner': 'team-a' } }, true],
    ['In hit', { matchExpressions: [{ key: 'app', operator: 'In', values: ['api', 'web'] }] }, true],
    ['In miss', { matchExpressions: [{ key: 'app', operator: 'In', values: ['api'] }] }, false],
    ['In on a missing key', { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, false],
    ['NotIn miss means match', { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['api'] }] }, true],
    ['NotIn hit', { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] }, false],
    ['NotIn on a missing key matches', { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, true],
    ['Exists', { matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, true],
    ['Exists on a missing key', { matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, false],
    ['DoesNotExist', { matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, true],
    ['DoesNotExist on a present key', { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, false],
    ['matchLabels AND matchExpressions, both hold', { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, true],
    ['matchLabels AND matchExpressions, one fails', { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['back'] }] }, false],
    [
      'every expression must hold',
      {
        matchExpressions: [
          { key: 'app', operator: 'Exists' },
          { key: 'tier', operator: 'DoesNotExist' },
        ],
      },
      false,
    ],
  ])('%s', (_name, selector, expected) => {
    expect(matchesSelector(selector, labels)).toBe(expected);
  });

  it('an empty selector matches an unlabelled object', () => {
    expect(matchesSelector({}, {})).toBe(true);
  });
});

describe('validateSelector', () => {
  it.each<[string, RawLabelSelector, string[]]>([
    ['valid selector', { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a'] }] }, []],
    ['unknown operator', { matchExpressions: [{ key: 'app', operator: 'Inn', values: ['a'] }] }, ['matchExpressions.0.operator: unknown operator "Inn" (expected In, NotIn, Exists, DoesNotExist)']],
    ['operators are case-sensitive', { matchExpressions: [{ key: 'app', operator: 'exists' }] }, ['matchExpressions.0.operator: unknown operator "exists" (expected In, NotIn, Exists, DoesNotExist)']],
    ['In without values', { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] }, ['matchExpressions.0.values: must be non-empty when operator is In']],
    ['NotIn with values missing', { matchExpressions: [{ key: 'app', operator: 'NotIn' }] }, ['matchExpressions.0.values: must be non-empty when operator is NotIn']],
    ['Exists with values', { matchExpressions: [{ key: 'app', operator: 'Exists', values: ['x'] }] }, ['matchExpressions.0.values: must be empty when operator is Exists']],
    ['DoesNotExist with values', { matchExpressions: [{ key: 'app', operator: 'DoesNotExist', values: ['x'] }] }, ['matchExpressions.0.values: must be empty when operator is DoesNotExist']],
    ['Exists with an empty values list is fine', { matchExpressions: [{ key: 'app', operator: 'Exists', values: [] }] }, []],
  ])('%s', (_name, selector, expected) => {
    expect(validateSelector(selector).map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(expected);
  });

  it('checks label key and value syntax', () => {
    const issues = validateSelector({ matchLabels: { 'bad key!': 'ok', good: 'has space' }, matchExpressions: [{ key: 'Example.com/x', operator: 'Exists' }] });
    expect(issues.map((i) => i.path.join('.'))).toEqual(['matchLabels.bad key!', 'matchLabels.good', 'matchExpressions.0.key']);
  });

  it.each([
    ['app', true],
    ['app.kubernetes.io/name', true],
    ['a', true],
    ['-app', false],
    ['', false],
    ['x'.repeat(64), false],
    ['Upper/x', false],
  ])('label key %j valid: %s', (key, ok) => {
    expect(labelKeyError(key) === undefined).toBe(ok);
  });

  it.each([
    ['', true],
    ['v1.2_3-x', true],
    ['trailing-', false],
    ['x'.repeat(63), true],
    ['x'.repeat(64), false],
  ])('label value %j valid: %s', (value, ok) => {
    expect(labelValueError(value) === undefined).toBe(ok);
  });
});
