/** The heading a person reads above a form (docs/camera.md §4): which behaviour an inline form belongs to. */
import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import { normalizeLabel, visibleText } from './labels';

/** The heading a person reads above a form (inside it first, else just before it). */
export function formTitle($: CheerioAPI, form: Element): string {
  // A legend inside the form names a field group (Sensitivity), not the form.
  const own = $(form).find('h1, h2, h3, h4, h5').first();
  if (own.length) return normalizeLabel(own.text());
  for (let n: Element | null = form; n && n.name !== 'body'; n = n.parent as Element | null) {
    for (let s = n.prev; s; s = s.prev) {
      if (s.type !== 'tag') continue;
      const e = s as Element;
      if (['h1', 'h2', 'h3', 'h4', 'h5', 'legend', 'caption', 'strong', 'b'].includes(e.name)) return normalizeLabel(visibleText(e));
      const inner = $(e).find('h2, h3, h4, h5').last();
      if (inner.length) return normalizeLabel(inner.text());
      if (e.name === 'form') return '';
    }
  }
  return '';
}

