// Colours for the timeline. Series get dark, saturated hues that stay
// readable as 2px lines on white; fault bands get light tints so lines on top
// of them keep their contrast. Red is reserved for failures and errors.

export const SERIES_COLORS = ['#1d4ed8', '#047857', '#7c3aed', '#c2410c', '#be185d', '#0e7490', '#4d7c0f', '#92400e'];
export const BAND_COLORS = ['#f59e0b', '#0ea5e9', '#a855f7', '#84cc16', '#f97316', '#14b8a6'];

export const FAILURE_COLOR = '#dc2626';
export const RPS_COLOR = '#1d4ed8';
export const ERROR_COLOR = '#dc2626';
export const MUTED = '#64748b';
export const GRID = '#e2e8f0';
export const INK = '#0f172a';

export function seriesColor(index: number): string {
  return SERIES_COLORS[((index % SERIES_COLORS.length) + SERIES_COLORS.length) % SERIES_COLORS.length] ?? INK;
}

export function bandColor(index: number): string {
  return BAND_COLORS[index % BAND_COLORS.length] ?? '#f59e0b';
}
