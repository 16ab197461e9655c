/**
 * Hearing the camera's answer to a save (docs/camera.md §4): success may be a 302/303 or a 200 with or
 * without a confirmation; a refusal may be an error box of any class, `role="alert"`, the form shown again with
 * a message, a 200 page that says it failed, or a non-2xx status. This module only classifies the answer and
 * keeps the camera's own words; the driver always confirms by reading the page back.
 */
import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import type { FirmwareProfile } from './firmware-profile';
import { normalizeLabel, visibleText } from './labels';

/** What a save answer says. */
export interface SaveOutcome {
  kind: 'accepted' | 'refused' | 'token-refused' | 'unclear';
  status: number;
  /** The camera's own words, when it showed any. */
  words?: string;
}

const MESSAGE_SELECTOR = [
  '[role=alert]',
  '[role=status]',
  '[aria-live]',
  'font[color]',
  '[style*=color]',
  '[class*=error]',
  '[class*=err]',
  '[class*=fail]',
  '[class*=alert]',
  '[class*=danger]',
  '[class*=warn]',
  '[class*=msg]',
  '[class*=message]',
  '[class*=notice]',
  '[class*=status]',
  '[class*=success]',
  '[class*=info]',
  '[id*=error]',
  '[id*=msg]',
  '[id*=message]',
  '[id*=status]',
].join(', ');

/** Message boxes on a page: their text and whether their markup says "error". */
export function messageBoxes($: CheerioAPI, p: FirmwareProfile): Array<{ text: string; isError: boolean; isSuccess: boolean }> {
  const out: Array<{ text: string; isError: boolean; isSuccess: boolean }> = [];
  $(MESSAGE_SELECTOR).each((_i, node) => {
    const el = node as Element;
    if (['td', 'th', 'tr', 'table', 'form', 'select', 'option', 'input', 'body', 'html', 'a'].includes(el.name)) return;
    if ($(el).find('input, select, textarea, form, table').length) return;
    if ($(el).parents('nav, #nav, .nav, .menu, #menu, header, #header, footer').length) return;
    const text = normalizeLabel(visibleText(el));
    if (!text || text.length > 400) return;
    const marks = `${el.attribs.class ?? ''} ${el.attribs.id ?? ''} ${el.attribs.role ?? ''} ${el.name === 'font' ? `color-${el.attribs.color}` : ''} ${el.attribs.style ?? ''}`;
    const isRed = /color\s*[:=-]\s*(?:red|#f00\b|#ff0000|#c00\b|#cc0000|rgb\(\s*2\d\d\s*,\s*0)/i.test(marks) || /color-(?:red|#f00|#ff0000)/i.test(marks);
    const isError = el.attribs.role === 'alert' || p.messages.errorMarker.test(marks) || isRed || p.messages.failure.test(text);
    const isSuccess = !isError && (p.messages.successMarker.test(marks) || p.messages.success.test(text));
    if (!out.some((o) => o.text === text || o.text.includes(text))) out.push({ text, isError, isSuccess });
  });
  return out;
}

/** The main text of a page without navigation, scripts and forms. */
function mainText($: CheerioAPI): string {
  const body = $('body').length ? $('body').clone() : $($.root().children().toArray()).clone();
  body.find('nav, #nav, .nav, .menu, #menu, header, #header, footer, script, style, form, select').remove();
  return normalizeLabel(body.text());
}

/**
 * Classifies a save answer. `isLogin` is handled by the session before this; `hasSameForm` says the answer shows
 * the submitted form again (a refused value is usually shown in the form it came from).
 */
export function judgeSave(status: number, location: string | undefined, $: CheerioAPI | undefined, p: FirmwareProfile): SaveOutcome {
  if (status >= 300 && status < 400 && location) return { kind: 'accepted', status };
  const boxes = $ ? messageBoxes($, p) : [];
  const errors = boxes.filter((b) => b.isError).map((b) => b.text);
  const words = errors.join(' ') || undefined;
  if (words && p.messages.tokenRefused.test(words)) return { kind: 'token-refused', status, words };
  if (status === 403 && !words) return { kind: 'token-refused', status };
  if (status >= 400 || (status >= 200 && status < 300 && words)) {
    const fallback = $ && !words ? mainText($).slice(0, 300) : undefined;
    return { kind: 'refused', status, words: words ?? (fallback || undefined) };
  }
  if (status >= 200 && status < 300) {
    if (boxes.some((b) => b.isSuccess)) return { kind: 'accepted', status };
    // A page without boxes that says it failed in plain text ("Save failed: ...").
    const text = $ ? mainText($) : '';
    const sentence = text.split(/(?<=[.!])\s+/).find((s) => p.messages.failure.test(s) && !p.messages.success.test(s));
    if (sentence && /\bfail|\berror\b|not saved|could not|refused/i.test(text)) return { kind: 'refused', status, words: sentence.slice(0, 300) };
    return { kind: 'unclear', status };
  }
  return { kind: 'refused', status };
}
