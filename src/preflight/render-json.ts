// The whole preflight report as JSON, for tools: the drain node by node,
// every dry run and finding, and the exit code the command returns.
import type { PreflightReport } from './report.ts';

export const PREFLIGHT_JSON_VERSION = 1;

export function renderJson(report: PreflightReport, exitCode: number): string {
  return `${JSON.stringify({ version: PREFLIGHT_JSON_VERSION, exitCode, ...report }, null, 2)}\n`;
}
