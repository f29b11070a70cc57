// Kubernetes resource quantities ("250m", "64Mi", "1.5", "2e3") as numbers:
// cpu in millicores, everything else in its base unit.

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** The quantity in base units; NaN when it is not one. */
export function parseQuantity(text: string | number): number {
  if (typeof text === 'number') return text;
  const match = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/.exec(text.trim());
  if (!match) return NaN;
  const number = Number(match[1]);
  if (match[2]) return number * 10 ** Number(match[2].slice(1));
  const suffix = match[3] ?? '';
  return number * (BINARY[suffix] ?? DECIMAL[suffix] ?? NaN);
}

/** One resource's amount in the unit Quantities keep it in. */
export function resourceAmount(resource: string, text: string | number): number {
  const value = parseQuantity(text);
  return resource === 'cpu' ? Math.round(value * 1000) : value;
}

export function formatAmount(resource: string, value: number): string {
  if (resource === 'cpu') return `${value}m`;
  if (resource === 'memory' || resource === 'ephemeral-storage') {
    if (value >= 2 ** 30) return `${(value / 2 ** 30).toFixed(1)}Gi`;
    return `${Math.round(value / 2 ** 20)}Mi`;
  }
  return String(value);
}
