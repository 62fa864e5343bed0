/** Power in W as people read it: "850 W", "12.4 kW", "1.25 MW". */
export function formatPower(w: number | null | undefined): string {
  if (w === null || w === undefined || !Number.isFinite(w)) return '—';
  const abs = Math.abs(w);
  if (abs >= 1e6) return `${(w / 1e6).toFixed(2)} MW`;
  if (abs >= 1e3) return `${(w / 1e3).toFixed(abs >= 1e4 ? 1 : 2)} kW`;
  return `${Math.round(w)} W`;
}

/** Energy in Wh: "420 Wh", "12.3 kWh", "4.56 MWh". */
export function formatEnergy(wh: number | null | undefined): string {
  if (wh === null || wh === undefined || !Number.isFinite(wh)) return '—';
  const abs = Math.abs(wh);
  if (abs >= 1e6) return `${(wh / 1e6).toFixed(2)} MWh`;
  if (abs >= 1e3) return `${(wh / 1e3).toFixed(abs >= 1e4 ? 1 : 2)} kWh`;
  return `${Math.round(wh)} Wh`;
}

/** A base-denom amount in display units: 1234567 ugrid with 6 decimals -> "1.234567 GRID". */
export function formatAmount(amount: bigint | string, decimals: number, displayDenom: string): string {
  const value = BigInt(amount);
  const unit = 10n ** BigInt(decimals);
  const whole = value / unit;
  const fraction = (value % unit).toString().padStart(decimals, '0').replace(/0+$/, '');
  return `${whole.toLocaleString('en-US')}${fraction ? `.${fraction}` : ''} ${displayDenom}`;
}

export function formatPercent(fraction: number, digits = 1): string {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(digits)} %` : '—';
}

/** Bps as a multiplier: 12500 -> "x1.25". */
export function formatBps(bps: number): string {
  return `x${(bps / 10_000).toFixed(2).replace(/\.?0+$/, '')}`;
}

export function shortAddress(address: string): string {
  return address.length > 20 ? `${address.slice(0, 12)}…${address.slice(-6)}` : address;
}
