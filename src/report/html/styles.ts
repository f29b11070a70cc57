// The report's only stylesheet, inlined so the file works offline, attached
// to a CI run or opened from a mail. System fonts only: no external requests.
export const STYLES = `
:root {
  --ink: #0f172a; --muted: #475569; --faint: #64748b; --line: #e2e8f0; --bg: #ffffff; --panel: #f8fafc;
  --pass: #15803d; --fail: #dc2626; --error: #7e22ce; --interrupted: #b45309; --planned: #1d4ed8; --skip: #64748b;
}
* { box-sizing: border-box; }
body {
  margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif;
}
main { max-width: 1240px; margin: 0 auto; padding: 20px 20px 48px; }
h2 { font-size: 17px; margin: 28px 0 10px; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, "DejaVu Sans Mono", Consolas, monospace; font-size: 12.5px; }

.run-header { display: flex; gap: 22px; align-items: stretch; border: 1px solid var(--line); border-radius: 10px; overflow: hidden; }
.verdict { display: flex; align-items: center; justify-content: center; min-width: 250px; padding: 18px 24px;
  color: #fff; font-size: 38px; font-weight: 800; letter-spacing: 0.04em; }
.verdict-passed .verdict { background: var(--pass); }
.verdict-failed .verdict { background: var(--fail); }
.verdict-error .verdict { background: var(--error); }
.verdict-interrupted .verdict { background: var(--interrupted); }
.verdict-planned .verdict { background: var(--planned); }
.run-title { flex: 1; padding: 14px 18px 14px 0; min-width: 0; }
.run-title h1 { margin: 0 0 2px; font-size: 24px; }
.run-title .description { margin: 0 0 10px; color: var(--muted); }
.facts { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 6px 22px; margin: 0; }
.facts div { min-width: 0; }
.facts dt { font-size: 11.5px; text-transform: uppercase; letter-spacing: 0.05em; color: var(--faint); }
.facts dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }

.summary { display: flex; flex-wrap: wrap; gap: 8px; margin: 14px 0 0; }
.chip { border: 1px solid var(--line); border-radius: 999px; padding: 3px 12px; background: var(--panel); font-weight: 600; }
.chip.bad { color: var(--fail); border-color: #fecaca; background: #fef2f2; }
.chip.good { color: var(--pass); border-color: #bbf7d0; background: #f0fdf4; }
.headline { margin: 14px 0 0; padding: 0; list-style: none; }
.headline li { border-left: 4px solid var(--fail); background: #fef2f2; padding: 8px 12px; margin: 6px 0; border-radius: 0 6px 6px 0; }
.headline li strong { color: var(--fail); }
.error-box { margin: 14px 0 0; border: 1px solid #e9d5ff; border-left: 4px solid var(--error); background: #faf5ff; border-radius: 0 6px 6px 0; padding: 10px 14px; }
.error-box pre { margin: 6px 0 0; white-space: pre-wrap; overflow-wrap: anywhere; }

.timeline-panel { border: 1px solid var(--line); border-radius: 10px; padding: 10px 6px 4px; }
.timeline { display: block; width: 100%; height: auto; }
.timeline .tick, .timeline .phase-name, .timeline .axis-title { font-size: 11.5px; }
.note { color: var(--faint); font-size: 12.5px; margin: 6px 4px 0; }

table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--faint); background: var(--panel); }
td.message { overflow-wrap: anywhere; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr.row-failed td { background: #fef2f2; }
tr.window-start td { border-top: 2px solid #cbd5e1; }
.status { display: inline-block; min-width: 64px; text-align: center; border-radius: 4px; padding: 1px 8px;
  font-size: 12px; font-weight: 700; text-transform: uppercase; letter-spacing: 0.03em; color: #fff; background: var(--skip); }
.status-passed, .status-reverted, .status-finished { background: var(--pass); }
.status-failed { background: var(--fail); }
.status-skipped, .status-scheduled { background: var(--skip); }
.status-running, .status-active, .status-injecting, .status-reverting { background: var(--interrupted); }
.details { color: var(--faint); font-size: 12.5px; margin-top: 2px; }
.why { margin-top: 4px; }
.fix { margin-top: 2px; padding: 3px 8px; background: #ecfdf5; border-left: 3px solid #059669; border-radius: 0 4px 4px 0; }
.fix strong, .why strong { color: inherit; }
.error-box .fix { display: block; margin: 2px 0 0; white-space: pre-wrap; }
.story { margin-top: 4px; font-size: 12.5px; }
.story summary { cursor: pointer; color: var(--muted); }
.story ul { margin: 4px 0 0; padding-left: 18px; }
.headline li .story li { border: 0; background: none; padding: 1px 0; margin: 0; }
.fact-label { font-weight: 600; color: var(--muted); }
table.mini { width: auto; max-width: 100%; margin: 6px 0 2px; font-size: 12.5px; }
table.mini caption { text-align: left; font-weight: 600; color: var(--muted); padding: 2px 0 4px; }
table.mini th, table.mini td { padding: 3px 10px 3px 0; }
table.mini th { background: none; font-size: 11px; }
table.mini td.more { color: var(--faint); font-style: italic; }
.fault-story { margin: 18px 0 0; border: 1px solid var(--line); border-radius: 10px; padding: 10px 16px 12px; }
.fault-story h3 { margin: 0 0 8px; font-size: 15px; }
.story-facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0 0 6px; }
.story-facts div { display: contents; }
.story-facts dt { font-weight: 600; color: var(--muted); }
.story-facts dd { margin: 0; overflow-wrap: anywhere; }
.fault-story table.mini { width: 100%; }

details.log { margin-top: 28px; border: 1px solid var(--line); border-radius: 10px; }
details.log > summary { cursor: pointer; padding: 10px 14px; font-weight: 700; font-size: 16px; }
details.log table { font-size: 13px; }
.sev { font-weight: 700; text-transform: uppercase; font-size: 11.5px; }
.sev-warn td { background: #fffbeb; } .sev-warn .sev { color: #b45309; }
.sev-error td { background: #fef2f2; } .sev-error .sev { color: var(--fail); }
.sev-debug .sev, .sev-info .sev { color: var(--faint); }
footer { margin-top: 28px; color: var(--faint); font-size: 12px; }
@media (max-width: 900px) {
  .run-header { flex-direction: column; gap: 0; }
  .run-title { padding: 14px 18px; }
  .facts { grid-template-columns: repeat(2, minmax(0, 1fr)); }
}
`;
