/** Interface strings of the site chrome, per language. Figures keep their own strings beside them. */
export const LANGS = ['en', 'zh'] as const;
export type Lang = (typeof LANGS)[number];

export const strings = {
  en: {
    siteTitle: 'GhostNet Lab',
    tagline: 'More features from cheap operations — an interactive course on GhostNet V1 and V2',
    contents: 'Contents',
    onThisPage: 'On this page',
    previous: 'Previous',
    next: 'Next',
    language: 'Language',
    otherLanguage: '中文',
    theme: 'Toggle dark mode',
    lab: 'Lab',
    home: 'Course home',
    skip: 'Skip to content',
    footer: 'Text written for this course from the GhostNet (arXiv 1911.11907) and GhostNetV2 (arXiv 2211.12905) papers. All figures run in your browser.',
  },
  zh: {
    siteTitle: 'GhostNet 实验室',
    tagline: '用廉价操作生成更多特征 —— GhostNet V1 与 V2 交互式课程',
    contents: '目录',
    onThisPage: '本页内容',
    previous: '上一章',
    next: '下一章',
    language: '语言',
    otherLanguage: 'English',
    theme: '切换深色模式',
    lab: '实验室',
    home: '课程首页',
    skip: '跳到正文',
    footer: '本课程文字依据 GhostNet（arXiv 1911.11907）与 GhostNetV2（arXiv 2211.12905）论文撰写，所有图示都在你的浏览器中实时运行。',
  },
} satisfies Record<Lang, Record<string, string>>;

export function otherLang(lang: Lang): Lang {
  return lang === 'en' ? 'zh' : 'en';
}

/** The site's URL for a page path ('' is the course home) in a language, base-path aware. */
export function localePath(lang: Lang, path: string): string {
  const base = import.meta.env.BASE_URL.replace(/\/$/, '');
  const prefix = lang === 'en' ? '' : '/zh';
  const tail = path ? `/${path.replace(/^\/|\/$/g, '')}/` : '/';
  return `${base}${prefix}${tail}`;
}
