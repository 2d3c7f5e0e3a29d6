/**
 * The shared vocabulary of the chapter diagrams (build time only): the formula terms a part can
 * stand for, the shape of a diagram as data (cards, links, free text), and small geometry helpers.
 * Each diagram component builds a `Diagram` and hands it to DiagramSvg.astro, which draws it.
 */
export type Lang = 'en' | 'zh';
export type Text = Record<Lang, string>;

/**
 * Formula terms a diagram part can stand for. The chapters tag the same term in KaTeX with
 * \htmlClass{term-NAME}{…}; term-link.ts lights both up together, diagram.css gives both one colour.
 */
export const TERMS = ['intrinsic', 'ghost', 'phi', 'concat', 'width', 'resolution', 'se', 'z', 'fw', 'fh', 'gate', 'gated'] as const;
export type Term = (typeof TERMS)[number];

/** Maps drawn as a small stack of squares inside a card; each entry is one square's colour term. */
export type MapStack = (Term | 'plain')[];

export interface Card {
  x: number;
  y: number;
  w: number;
  h: number;
  /** The formula term this part stands for; a card with a term is focusable. */
  term?: Term;
  /** One entry per text line (the first is the card's name). */
  lines: Text[];
  /** What a screen reader hears on focus (defaults to the lines joined). */
  label?: Text;
  shape?: 'box' | 'circle';
  /** Optional steps (only some blocks have them) are drawn dashed. */
  dashed?: boolean;
  /** Containers hold other cards and are never focusable themselves. */
  container?: boolean;
  maps?: MapStack;
  /** Text alignment: centred by default, 'start' puts it after the map stack. */
  align?: 'middle' | 'start';
  /** Hoverable but not a tab stop (used for the many bars of the layout picture). */
  noFocus?: boolean;
}

export interface Link {
  points: [number, number][];
  /** No arrowhead (a plain connector). */
  plain?: boolean;
  dashed?: boolean;
}

export interface Note {
  x: number;
  y: number;
  text: Text;
  anchor?: 'start' | 'middle' | 'end';
  /** Rotated by −90° (read bottom to top), for labels along a vertical path. */
  vertical?: boolean;
  bold?: boolean;
}

export interface Bar {
  x: number;
  y: number;
  w: number;
  h: number;
  term: Term;
  /** Lighter fill: the expansion width behind the output width. */
  soft?: boolean;
}

export interface Diagram {
  width: number;
  height: number;
  title: Text;
  cards: Card[];
  links: Link[];
  notes?: Note[];
  bars?: Bar[];
}

/** Font size and line height in viewBox units. Every diagram is at most WIDTH units wide, so on a
 * 390 px phone (about 330 px of figure) text stays above 11 px. */
export const FONT = 13;
export const LINE = 17;
export const WIDTH = 340;

/** Height of a card holding n lines of text. */
export const cardHeight = (n: number) => 12 + LINE * n;

/** The arrowhead triangle at the end of a polyline, pointing along its last segment. */
export function arrowHead(points: [number, number][], size = 7): string {
  const [x1, y1] = points[points.length - 2]!;
  const [x2, y2] = points[points.length - 1]!;
  const len = Math.hypot(x2 - x1, y2 - y1) || 1;
  const ux = (x2 - x1) / len;
  const uy = (y2 - y1) / len;
  const bx = x2 - ux * size;
  const by = y2 - uy * size;
  const px = -uy * size * 0.55;
  const py = ux * size * 0.55;
  return [[x2, y2], [bx + px, by + py], [bx - px, by - py]].map(([a, b]) => `${round(a!)},${round(b!)}`).join(' ');
}

export const pathOf = (points: [number, number][]) => points.map(([x, y], i) => `${i ? 'L' : 'M'}${round(x)},${round(y)}`).join(' ');

const round = (v: number) => Math.round(v * 100) / 100;

/** A vertical arrow from the bottom of card a to the top of card b, at horizontal position x. */
export function down(a: Card, b: Card, x = a.x + a.w / 2): Link {
  return { points: [[x, a.y + a.h], [x, b.y]] };
}

/**
 * Lays cards out top to bottom from y, `gap` apart (room for an arrow), and links each to the
 * next. Returns the cards with their y set and the links.
 */
export function column(y: number, gap: number, cards: Omit<Card, 'y'>[]): { cards: Card[]; links: Link[]; bottom: number } {
  const placed: Card[] = [];
  let top = y;
  for (const c of cards) {
    placed.push({ ...c, y: top });
    top += c.h + gap;
  }
  const links = placed.slice(1).map((c, i) => down(placed[i]!, c, c.x + c.w / 2));
  return { cards: placed, links, bottom: top - gap };
}

/**
 * A bottleneck's main path, built top to bottom: `push` places a group of cards (one part, or a box
 * with parts inside) of height h at `at()`, linked to the group above through the path's middle.
 */
export function mainPath(x: number, w: number, top: number, gap: number) {
  const cards: Card[] = [];
  const links: Link[] = [];
  const mid = x + w / 2;
  let y = top;
  return {
    cards,
    links,
    mid,
    at: () => y,
    push(group: Card | Card[], h: number): void {
      if (cards.length) links.push({ points: [[mid, y - gap], [mid, y]] });
      cards.push(...(Array.isArray(group) ? group : [group]));
      y += h + gap;
    },
    /** From the top of the drawing to just below the last group. */
    height: () => y - gap + 6,
  };
}

/** The shortcut: a card in the lane right of the main path, from the input's side down to the addition. */
export function shortcut(path: ReturnType<typeof mainPath>, input: Card, add: Card, lane: { x: number; w: number }, lines: Text[]): void {
  const laneMid = lane.x + lane.w / 2;
  const h = cardHeight(lines.length);
  const inY = input.y + input.h / 2;
  const addY = add.y + add.h / 2;
  const y = (input.y + addY) / 2 - h / 2;
  path.cards.push({ x: lane.x, y, w: lane.w, h, lines });
  path.links.push(
    { points: [[input.x + input.w, inY], [laneMid, inY], [laneMid, y]] },
    { points: [[laneMid, y + h], [laneMid, addY], [add.x + add.w, addY]] },
  );
}

/** The text a screen reader gets for a part. */
export const ariaOf = (c: Card, lang: Lang) =>
  plainText((c.label ?? { en: c.lines.map((l) => l.en).join(', '), zh: c.lines.map((l) => l.zh).join('，') })[lang]);

/** Splits "Φ_{i,j}" or "F^{W}" into runs of plain text, subscripts and superscripts (drawn as <tspan>s). */
export function runs(s: string): { text: string; shift: 0 | 1 | -1 }[] {
  return s
    .split(/([_^]\{[^}]*\})/)
    .filter(Boolean)
    .map((r) => (r.startsWith('_{') ? { text: r.slice(2, -1), shift: 1 } : r.startsWith('^{') ? { text: r.slice(2, -1), shift: -1 } : { text: r, shift: 0 }));
}

/** The plain reading of a label, for aria-label ("Φ_{i,j}" → "Φ i,j"). */
export const plainText = (s: string) => s.replace(/[_^]\{([^}]*)\}/g, ' $1');

/**
 * A Ghost module drawn as a box holding its two kinds of maps: the intrinsic maps Y′ and the
 * ghost maps made from them, each a part linked to its formula term.
 */
export function ghostModuleBox(x: number, y: number, w: number, title: Text, name: Text): Card[] {
  const chipW = (w - 24) / 2;
  const chipY = y + 26;
  return [
    { x, y, w, h: GHOST_BOX_H, container: true, lines: [title] },
    {
      x: x + 8, y: chipY, w: chipW, h: 30, term: 'intrinsic', maps: ['intrinsic', 'intrinsic'],
      lines: [{ en: 'Y′', zh: 'Y′' }], label: { en: `intrinsic maps Y′ of ${name.en}`, zh: `${name.zh} 的本征特征图 Y′` },
    },
    {
      x: x + 16 + chipW, y: chipY, w: chipW, h: 30, term: 'ghost', maps: ['ghost', 'ghost'],
      lines: [{ en: 'ghosts', zh: '幻影' }], label: { en: `ghost maps of ${name.en}`, zh: `${name.zh} 的幻影特征图` },
    },
  ];
}
export const GHOST_BOX_H = 64;
