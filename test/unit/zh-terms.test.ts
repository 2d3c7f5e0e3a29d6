import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Chinese text uses one term per idea (幻影特征图 for "ghost feature map", 本征特征图 for
// "intrinsic feature map") and full-width punctuation. This scans every source a Chinese reader
// sees: the zh chapters, the string tables and the components and pages that carry zh strings.

const ROOT = join(__dirname, '..', '..');

function walk(dir: string, keep: (file: string) => boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path, keep));
    else if (keep(path)) out.push(path);
  }
  return out;
}

const ZH_SOURCES = [
  ...walk(join(ROOT, 'src/content/chapters/zh'), (f) => f.endsWith('.mdx') || f.endsWith('.md')),
  join(ROOT, 'src/i18n/strings.ts'),
  ...walk(join(ROOT, 'src/components'), (f) => f.endsWith('strings.ts') || f.endsWith('.astro')),
  ...walk(join(ROOT, 'src/pages'), (f) => f.endsWith('.astro')),
];

/** Variants that must not appear, with the term to use instead. */
const FORBIDDEN: [RegExp, string][] = [
  [/幽灵/, '幻影特征图 (ghost feature map)'],
  [/幻影图/, '幻影特征图'],
  [/鬼影/, '幻影特征图'],
  [/Ghost\s*特征图/, '幻影特征图'],
  [/本征图/, '本征特征图'],
];

const CJK = '\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff';
/** Half-width punctuation between two Chinese characters (spaces allowed around it). */
const BETWEEN = new RegExp(`[${CJK}]\\s*[,.;:!?()]\\s*[${CJK}]`, 'u');
/** A half-width comma, semicolon, colon, question or exclamation mark right after a Chinese character. */
const AFTER = new RegExp(`[${CJK}][,;:!?]`, 'u');

/** Formulas and code keep their ASCII punctuation: blank them out (same length, so lines stay put). */
function prose(text: string): string {
  const blank = (m: string) => m.replace(/[^\n]/g, ' ');
  return text
    .replace(/```[\s\S]*?```/g, blank)
    .replace(/\$\$[\s\S]*?\$\$/g, blank)
    .replace(/\$[^$\n]*\$/g, blank)
    .replace(/`[^`\n]*`/g, blank);
}

interface Hit {
  file: string;
  line: number;
  text: string;
}

function scan(files: string[], test: (line: string) => boolean, clean = prose): Hit[] {
  const hits: Hit[] = [];
  for (const file of files) {
    const lines = clean(readFileSync(file, 'utf8')).split('\n');
    lines.forEach((text, i) => {
      if (test(text)) hits.push({ file: file.slice(ROOT.length + 1), line: i + 1, text: text.trim().slice(0, 120) });
    });
  }
  return hits;
}

const show = (hits: Hit[]) => hits.map((h) => `${h.file}:${h.line}: ${h.text}`).join('\n');

describe('Chinese terms and punctuation', () => {
  it('scans the zh chapters, the string tables and the components', () => {
    const rel = ZH_SOURCES.map((f) => f.slice(ROOT.length + 1));
    expect(rel).toContain('src/content/chapters/zh/ghostnet-v1.mdx');
    expect(rel).toContain('src/content/chapters/zh/ghostnet-v2.mdx');
    expect(rel).toContain('src/i18n/strings.ts');
    expect(rel).toContain('src/components/lab/strings.ts');
    expect(rel).toContain('src/components/GhostSpeedupCalculator.astro');
  });

  for (const [pattern, use] of FORBIDDEN) {
    it(`no "${pattern.source}": use ${use}`, () => {
      // Terms are wrong in code comments and formulas too, so the raw text is scanned.
      const hits = scan(ZH_SOURCES, (line) => pattern.test(line), (t) => t);
      expect(hits, show(hits)).toEqual([]);
    });
  }

  it('the chapters use 幻影特征图 and 本征特征图', () => {
    for (const chapter of ['ghostnet-v1', 'ghostnet-v2']) {
      const text = readFileSync(join(ROOT, `src/content/chapters/zh/${chapter}.mdx`), 'utf8');
      expect(text, chapter).toContain('幻影特征图');
      expect(text, chapter).toContain('本征特征图');
    }
  });

  it('no half-width punctuation between Chinese characters (formulas and code excepted)', () => {
    const hits = scan(ZH_SOURCES, (line) => BETWEEN.test(line));
    expect(hits, show(hits)).toEqual([]);
  });

  it('no half-width comma, colon, semicolon, ? or ! right after a Chinese character', () => {
    const hits = scan(ZH_SOURCES, (line) => AFTER.test(line));
    expect(hits, show(hits)).toEqual([]);
  });

  it('the checks catch what they should, and pass what they should', () => {
    expect(BETWEEN.test('本征特征图,幻影特征图')).toBe(true);
    expect(BETWEEN.test('模块 (见下) 中')).toBe(true);
    expect(AFTER.test('特征图: 它')).toBe(true);
    expect(BETWEEN.test('本征特征图，幻影特征图')).toBe(false);
    expect(BETWEEN.test('[实验室](../lab/)里')).toBe(false);
    expect(prose('公式 $a, b$ 中').includes(',')).toBe(false);
    expect(FORBIDDEN.some(([p]) => p.test('Ghost 特征图'))).toBe(true);
  });
});
