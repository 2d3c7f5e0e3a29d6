/**
 * Number formatting shared by the calculators: thousands separators, K/M/G/T suffixes and ratios.
 * Pure functions (no DOM), so they can be unit-tested and used in both languages.
 */
export type FormatLang = 'en' | 'zh';

const LOCALE: Record<FormatLang, string> = { en: 'en-US', zh: 'zh-CN' };

/** 1234567 → "1,234,567". Non-finite → "—". */
export function formatInt(v: number, lang: FormatLang = 'en'): string {
  if (!Number.isFinite(v)) return '—';
  return new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: 0 }).format(Math.round(v));
}

const SUFFIXES: [number, string][] = [
  [1e18, 'E'],
  [1e15, 'P'],
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'K'],
];

/** 1234567 → "1.23M", 950 → "950", 4.09e9 → "4.09G" (3 significant digits). */
export function formatSI(v: number): string {
  if (!Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  for (const [scale, suffix] of SUFFIXES) {
    if (a >= scale) return `${trim((v / scale).toPrecision(3))}${suffix}`;
  }
  return trim(v.toPrecision(3));
}

function trim(s: string): string {
  // toPrecision may produce "1.00e+3" for edge values; Number() normalises it.
  if (s.includes('e')) return String(Number(s));
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** "115,605,504 (116M)"; small values just "950". */
export function formatCount(v: number, lang: FormatLang = 'en'): string {
  if (!Number.isFinite(v)) return '—';
  const full = formatInt(v, lang);
  return Math.abs(v) >= 1e4 ? `${full} (${formatSI(v)})` : full;
}

/** Ratios: 3 decimals below 10 ("1.969"), 2 below 100 ("24.50"), then grouped integers ("1,245"). */
export function formatRatio(v: number, lang: FormatLang = 'en'): string {
  if (!Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  const digits = a < 10 ? 3 : a < 100 ? 2 : a < 1000 ? 1 : 0;
  return new Intl.NumberFormat(LOCALE[lang], { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);
}

/** For KaTeX: 1234567 → "1{,}234{,}567" (a comma that does not add space in math mode). */
export function texInt(v: number): string {
  return formatInt(v, 'en').replace(/,/g, '{,}');
}
