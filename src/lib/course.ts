import { getCollection, type CollectionEntry } from 'astro:content';
import type { Lang } from '../i18n/strings';

/** A page of the course in reading order: the introduction, the chapters, then the lab. */
export interface CoursePage {
  path: string;
  title: string;
}

const LAB_TITLE: Record<Lang, string> = { en: 'The lab: GhostNet live', zh: '实验室：实时运行 GhostNet' };

export async function chaptersOf(lang: Lang): Promise<CollectionEntry<'chapters'>[]> {
  const all = await getCollection('chapters', (e: CollectionEntry<'chapters'>) => e.id.startsWith(`${lang}/`));
  return all.sort((a: CollectionEntry<'chapters'>, b: CollectionEntry<'chapters'>) => a.data.order - b.data.order);
}

/** The page path of a chapter: chapters/en/ghostnet-v1.mdx → 'ghostnet-v1'; index → ''. */
export function pathOf(entry: CollectionEntry<'chapters'>): string {
  const slug = entry.id.split('/').slice(1).join('/');
  return slug === 'index' ? '' : slug;
}

export async function courseOrder(lang: Lang): Promise<CoursePage[]> {
  const chapters = await chaptersOf(lang);
  return [
    ...chapters.map((c) => ({ path: pathOf(c), title: c.data.title })),
    { path: 'lab', title: LAB_TITLE[lang] },
  ];
}

export function labTitle(lang: Lang): string {
  return LAB_TITLE[lang];
}
