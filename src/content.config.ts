import { defineCollection, z } from 'astro:content';
import { glob } from 'astro/loaders';

// Each chapter exists once per language, at chapters/<lang>/<slug>.mdx, with the same slug and
// the same section ids in both languages.
const chapters = defineCollection({
  // Ids keep the file path (en/index, zh/ghostnet-v1): the default slugger would drop 'index'.
  loader: glob({ pattern: '**/*.mdx', base: './src/content/chapters', generateId: ({ entry }) => entry.replace(/\.mdx$/, '') }),
  schema: z.object({
    title: z.string(),
    description: z.string(),
    order: z.number(),
  }),
});

export const collections = { chapters };
