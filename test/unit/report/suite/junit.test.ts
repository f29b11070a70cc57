// The suite's JUnit, read back by a real XML parser (fast-xml-parser), as CI tools read it.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderSuiteJunit } from '../../../../src/report/suite/junit.ts';
import { sampleNight } from '../../../support/suite.ts';

type Node = Record<string, any>;

function parse(xml: string): Node {
  expect(XMLValidator.validate(xml)).toBe(true);
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'property', 'rerunFailure', 'flakyFailure', 'flakyError', 'rerunError'].includes(name) });
  return parser.parse(xml) as Node;
}

const caseNamed = (suite: Node, name: string) => (suite.testcase as Node[]).find((c) => c.name === name)!;

describe('renderSuiteJunit', () => {
  const doc = parse(renderSuiteJunit(sampleNight()));
  const suites = doc.testsuites.testsuite as Node[];
  const suite = (name: string) => suites.find((s) => s.name === name)!;

  it('has a testsuite per scenario and a testcase per assertion per window, repeats merged into one case', () => {
    expect(suites.map((s) => s.name)).toEqual(['spot-drain', 'spot-drain-no-pdb', 'pod-kill', 'network-partition']);
    expect((suite('spot-drain').testcase as Node[]).map((c) => `${c.classname} :: ${c.name}`)).toEqual([
      'shakedown.spot-drain.reclaim :: pdb-held (pdb-held)',
      'shakedown.spot-drain.reclaim :: recovered-within (recovered-within)',
      'shakedown.spot-drain.reclaim :: availability (availability)',
    ]);
  });

  it('a case that failed every time: <failure> for the first run, <rerunFailure> for the next', () => {
    const pdb = caseNamed(suite('spot-drain-no-pdb'), 'pdb-held (pdb-held)');
    expect(pdb.failure.message).toBe('spot-drain-no-pdb #1: backend fell to 1 healthy pod while evictions ran (floor 2, no PDB)');
    expect(pdb.rerunFailure).toHaveLength(1);
    expect(pdb.rerunFailure[0].message).toMatch(/^spot-drain-no-pdb #2: backend fell to 1/);
    expect(pdb.rerunFailure[0].stackTrace).toContain('no PDB');
    expect(pdb.flakyFailure).toBeUndefined();
  });

  it('a case that failed and then held: <flakyFailure> only, no <failure>', () => {
    const availability = caseNamed(suite('pod-kill'), 'availability (availability)');
    expect(availability.failure).toBeUndefined();
    expect(availability.flakyFailure).toHaveLength(1);
    expect(availability.flakyFailure[0].message).toBe('pod-kill #1: 900 requests');
  });

  it('a scenario the suite could not run is an error with the reason', () => {
    const notRun = caseNamed(suite('network-partition'), 'not run');
    expect(notRun.error.type).toBe('NotRun');
    expect(notRun.error.message).toBe('not run: cluster shakedown-nightly could not be brought back after one rebuild: node w1 not Ready after 180 s');
  });

  it('counts agree with the cases, per suite and in total; flaky cases count as passed, as in Surefire', () => {
    for (const s of suites) {
      const cases = s.testcase as Node[];
      expect(Number(s.tests)).toBe(cases.length);
      expect(Number(s.failures)).toBe(cases.filter((c) => c.failure !== undefined).length);
      expect(Number(s.errors)).toBe(cases.filter((c) => c.error !== undefined).length);
    }
    expect(suites.map((s) => [s.tests, s.failures, s.errors, s.skipped])).toEqual([
      ['3', '0', '0', '0'],
      ['3', '1', '0', '0'],
      ['3', '0', '0', '0'],
      ['1', '0', '1', '0'],
    ]);
    expect([doc.testsuites.tests, doc.testsuites.failures, doc.testsuites.errors]).toEqual(['10', '1', '1']);
    const status = (name: string) => (suite(name).properties.property as Node[]).find((p) => p.name === 'status')!.value;
    expect(['spot-drain', 'spot-drain-no-pdb', 'pod-kill', 'network-partition'].map(status)).toEqual(['held', 'new-failure', 'flaky', 'not-run']);
  });
});
