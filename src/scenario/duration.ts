// Durations are written like `90s`, `2m`, `1m30s` or `500ms` and parsed once,
// at load time, into milliseconds.
import { z } from 'zod';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;

/** Parses `1m30s` into 90000; returns undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  PART.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  for (let match = PART.exec(trimmed); match; match = PART.exec(trimmed)) {
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
    consumed = PART.lastIndex;
  }
  return consumed === trimmed.length ? Math.round(total) : undefined;
}

/**
 * A duration as a scenario file writes it (`90s`, `1m30s`, `500ms`), so a plan
 * line or a verdict echoes the user's own terms and can be pasted back.
 * The report's `formatDuration` (report/format.ts) is the display form for
 * tables and timelines (`4m 05s`): a different job, not a second copy.
 */
export function durationText(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)}s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds - m * 60);
  return s === 0 ? `${m}m` : `${m}m${s}s`;
}

const DURATION_HINT = 'a duration like 500ms, 20s, 2m or 1m30s';

/** A zod schema: a duration string in, milliseconds out. */
export function duration(options: { min?: number } = {}) {
  return z
    .union([z.string(), z.number()])
    .meta({ description: DURATION_HINT })
    .transform((value, ctx) => {
      if (typeof value === 'number' || value.trim().startsWith('-')) {
        const negative = typeof value === 'number' ? value < 0 : true;
        ctx.addIssue({
          code: 'custom',
          message: negative ? `must not be negative (got ${value})` : `must be ${DURATION_HINT}, with a unit (got ${value})`,
        });
        return z.NEVER;
      }
      const ms = parseDuration(value);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: `must be ${DURATION_HINT} (got "${value}")` });
        return z.NEVER;
      }
      if (options.min !== undefined && ms < options.min) {
        ctx.addIssue({ code: 'custom', message: `must be at least ${durationText(options.min)} (got ${value})` });
        return z.NEVER;
      }
      return ms;
    });
}
