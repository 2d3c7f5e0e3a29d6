/** Every word the lab shows, in both languages, and the class names in Chinese. */
import { en, type LabStrings } from './strings-en';
import { zh } from './strings-zh';

export const LAB_STRINGS: Record<'en' | 'zh', LabStrings> = { en, zh };

export type LabLang = keyof typeof LAB_STRINGS;
export type { LabStrings };

/** Display names of the Fashion-MNIST classes; the model's own labels stay English (window.ghostlab reports those). */
const CLASS_NAMES_ZH: Record<string, string> = {
  'T-shirt/top': 'T 恤/上衣',
  Trouser: '裤子',
  Pullover: '套头衫',
  Dress: '连衣裙',
  Coat: '外套',
  Sandal: '凉鞋',
  Shirt: '衬衫',
  Sneaker: '运动鞋',
  Bag: '包',
  'Ankle boot': '短靴',
};

export function className(label: string, lang: LabLang): string {
  return lang === 'zh' ? (CLASS_NAMES_ZH[label] ?? label) : label;
}
