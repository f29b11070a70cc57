import { describe, expect, it } from 'vitest';
import { faultDuration, formatDuration, formatOffset } from '../../../src/report/format.ts';
import { escapeHtml, escapeMarkdownCell, escapeXmlAttr, toXmlChars } from '../../../src/report/text.ts';

describe('formatDuration / formatOffset', () => {
  it('reads naturally across magnitudes', () => {
    expect([0, 850, 1500, 12_345, 61_000, 436_000, 3_720_000].map(formatDuration)).toEqual(['0s', '850ms', '1.5s', '12s', '1m 01s', '7m 16s', '1h 02m']);
    expect([-30_000, 0, 30_200].map(formatOffset)).toEqual(['-30s', '0s', '+30s']);
  });
});

describe('faultDuration', () => {
  const base = { id: 'f', type: 'node-stop', at: 0, state: 'reverted' as const };
  it('is the scripted duration, else how long the fault really lasted', () => {
    expect(faultDuration({ ...base, duration: 60_000 })).toBe('1m 00s');
    expect(faultDuration({ ...base, startedAt: 1000, endedAt: 251_000 })).toBe('4m 10s, open-ended');
    expect(faultDuration({ ...base, startedAt: 1000, endedAt: 1300 })).toBe('instant');
    expect(faultDuration({ ...base, state: 'scheduled' })).toBe('to end of load');
  });
});

describe('escaping', () => {
  it('drops ANSI codes and replaces characters XML cannot carry', () => {
    expect(toXmlChars('\u001b[1;31mred\u001b[0m\u0000\u0008\t\n\u{1F600}\uDC00')).toBe('red\uFFFD\uFFFD\t\n\u{1F600}\uFFFD');
  });

  it('escapes attributes so whitespace survives parsing', () => {
    expect(escapeXmlAttr('a"b\'c<d>&\n\t')).toBe('a&quot;b&apos;c&lt;d&gt;&amp;&#10;&#9;');
    expect(escapeHtml(`<a href='x'>`)).toBe('&lt;a href=&#39;x&#39;&gt;');
  });

  it('keeps markdown cells on one row', () => {
    expect(escapeMarkdownCell('a|b\r\nc *d* `e`')).toBe('a\\|b<br>c \\*d\\* \\`e\\`');
  });
});
