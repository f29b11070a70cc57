// report.html: one self-contained page (inline CSS and SVG, no scripts, no
// external requests) that shows what happened at a glance: verdict, then the
// timeline of load, replicas and faults, then the tables and full event log.
import { formatDuration, verdictWord } from './format.ts';
import { assertionTable, eventLog, faultTable, headerSection, phaseTable, summarySection } from './html/sections.ts';
import { STYLES } from './html/styles.ts';
import type { RunResult } from '../core/result.ts';
import { escapeHtml as h } from './text.ts';
import { buildTimeline } from './timeline/model.ts';
import { renderTimelineSvg } from './timeline/svg.ts';

export function renderHtml(result: RunResult): string {
  const model = buildTimeline(result);
  const title = `${verdictWord(result.verdict)} · ${result.scenario} · shakedown`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${h(title)}</title>
<style>${STYLES}</style>
</head>
<body>
<main>
${headerSection(result)}
${summarySection(result)}
<h2>Timeline</h2>
<div class="timeline-panel">
${renderTimelineSvg(model)}
</div>
<p class="note">Shaded bands are faults${model.moments.length ? ", diamonds the moments inside them (a spot drain's notice, first eviction, drain end, termination, replacement Ready)" : ''}; dashed grey lines mark phase starts; red markers show when an assertion started failing${model.blind.length ? '; grey hatching covers what the API could not tell shakedown while it was out of reach' : ''}. Hover any of them for details. Span shown: ${h(formatDuration((model.domain[1] - model.domain[0]) * 1000))}.</p>
<h2>Assertions</h2>
${assertionTable(result)}
<h2>Faults</h2>
${faultTable(result)}
<h2>Phases</h2>
${phaseTable(result)}
${eventLog(result)}
<footer>shakedown run ${h(result.runId)} · results.json schema v${h(String(result.schemaVersion))}</footer>
</main>
</body>
</html>
`;
}
