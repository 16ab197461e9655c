/**
 * Test support (not product code): a minimal browser-like client for the simulator's web UI, written
 * independently of the product's driver. It keeps cookies, reads forms by visible label with cheerio, and posts
 * every field back as a browser would, so simulator tests check behaviour, not field names.
 */
import * as cheerio from 'cheerio';

/** One control of a parsed form. */
export interface FormControl {
  name: string;
  kind: 'hidden' | 'text' | 'checkbox' | 'select' | 'textarea';
  value: string;
  checked: boolean;
  /** Visible label (normalised), or the fieldset legend for grouped checkboxes. */
  label: string;
  /** For checkboxes in a fieldset: the legend. */
  group?: string;
  /** For selects: option label → value. */
  options?: { label: string; value: string; selected: boolean }[];
}

/** A form read from a page. */
export interface ParsedForm {
  action: string;
  controls: FormControl[];
}

/** Normalises label text: case- and whitespace-insensitive. */
export function norm(s: string): string {
  return s.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Reads every form of a page. */
export function readForms(html: string): ParsedForm[] {
  const $ = cheerio.load(html);
  const labelFor = (id: string | undefined) => (id ? norm($(`label[for="${id}"]`).first().text()) : '');
  return $('form')
    .toArray()
    .map((f) => {
      const controls: FormControl[] = [];
      $(f)
        .find('input, select, textarea')
        .each((_i, el) => {
          const e = $(el);
          const name = e.attr('name');
          if (!name) return;
          const tag = el.tagName.toLowerCase();
          const legend = e.closest('fieldset').find('legend').first().text();
          const base = { name, label: labelFor(e.attr('id')), group: legend ? norm(legend) : undefined };
          if (tag === 'select') {
            const options = e
              .find('option')
              .toArray()
              .map((o) => ({ label: norm($(o).text()), value: $(o).attr('value') ?? '', selected: $(o).is('[selected]') }));
            const sel = options.find((o) => o.selected) ?? options[0];
            controls.push({ ...base, kind: 'select', value: sel?.value ?? '', checked: false, options });
          } else if (tag === 'textarea') controls.push({ ...base, kind: 'textarea', value: e.text(), checked: false });
          else {
            const type = (e.attr('type') ?? 'text').toLowerCase();
            controls.push({ ...base, kind: type === 'hidden' ? 'hidden' : type === 'checkbox' ? 'checkbox' : 'text', value: e.attr('value') ?? '', checked: e.is('[checked]') });
          }
        });
      return { action: $(f).attr('action') ?? '', controls };
    });
}

/** Finds the form posting to an action (exact path, or the first form whose action starts with it). */
export function formFor(html: string, action: string): ParsedForm {
  const forms = readForms(html);
  const f = forms.find((x) => x.action === action) ?? forms.find((x) => x.action.startsWith(action));
  if (!f) throw new Error(`No form posting to ${action}; forms: ${forms.map((x) => x.action).join(', ')}`);
  return f;
}

/** A change by label: text for inputs, true/false for a checkbox, an option label for a select, option labels for a fieldset group. */
export type Changes = Record<string, string | boolean | string[]>;

/** Applies changes by label to a copy of the form (throws when a label is not found). */
export function applyChanges(form: ParsedForm, changes: Changes): ParsedForm {
  const controls = form.controls.map((c) => ({ ...c }));
  for (const [label, v] of Object.entries(changes)) {
    const l = norm(label);
    if (Array.isArray(v)) {
      const group = controls.filter((c) => c.kind === 'checkbox' && c.group === l);
      if (group.length === 0 && !controls.some((c) => c.group === l)) throw new Error(`No checkbox group "${label}"`);
      const want = v.map(norm);
      for (const c of group) c.checked = want.includes(c.label);
      continue;
    }
    const c = controls.find((x) => x.label === l && !x.group) ?? controls.find((x) => x.label === l);
    if (!c) throw new Error(`No field labelled "${label}"; labels: ${controls.map((x) => x.label).filter(Boolean).join(' | ')}`);
    if (c.kind === 'checkbox') c.checked = v === true;
    else if (c.kind === 'select') {
      const o = c.options?.find((x) => x.label === norm(String(v)));
      if (!o) throw new Error(`Select "${label}" has no option "${v}"`);
      c.value = o.value;
    } else c.value = String(v);
  }
  return { ...form, controls };
}

/** Serialises a form as a browser posts it (unticked checkboxes are left out). */
export function serialise(form: ParsedForm, omitLabels: string[] = []): URLSearchParams {
  const p = new URLSearchParams();
  const omit = omitLabels.map(norm);
  for (const c of form.controls) {
    if (c.label && omit.includes(c.label)) continue;
    if (c.kind === 'checkbox' && !c.checked) continue;
    p.append(c.name, c.value);
  }
  return p;
}

/** A page answer. */
export interface Page {
  status: number;
  html: string;
  location: string | null;
}

/** The text of the page's error alert, if any. */
export function errorText(html: string): string | undefined {
  const t = cheerio.load(html)('[role="alert"].error').first().text();
  return t ? t.trim() : undefined;
}

/** A logged-in web session against one camera. */
export class WebSession {
  private cookies = new Map<string, string>();
  constructor(readonly baseUrl: string) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(r: Response): void {
    for (const sc of r.headers.getSetCookie()) {
      const [kv] = sc.split(';');
      const i = kv.indexOf('=');
      this.cookies.set(kv.slice(0, i), kv.slice(i + 1));
    }
  }

  /** Cookie names currently held. */
  cookieNames(): string[] {
    return [...this.cookies.keys()];
  }

  /** POST /auth/validate; returns the raw answer (302 either way). */
  async login(username = 'admin', password = 'admin'): Promise<Page> {
    return this.post('/auth/validate', new URLSearchParams({ username, password }));
  }

  /** GET without following redirects. */
  async get(path: string): Promise<Page> {
    const r = await fetch(this.baseUrl + path, { headers: { cookie: this.cookieHeader() }, redirect: 'manual' });
    this.keep(r);
    return { status: r.status, html: await r.text(), location: r.headers.get('location') };
  }

  /** POST a form body without following redirects. */
  async post(path: string, body: URLSearchParams): Promise<Page> {
    const r = await fetch(this.baseUrl + path, { method: 'POST', body, headers: { cookie: this.cookieHeader() }, redirect: 'manual' });
    this.keep(r);
    return { status: r.status, html: await r.text(), location: r.headers.get('location') };
  }

  /** GET a page, find its form posting to `action`, change fields by label, post everything back. */
  async edit(pagePath: string, action: string, changes: Changes, omitLabels: string[] = []): Promise<Page> {
    const page = await this.get(pagePath);
    if (page.status !== 200) throw new Error(`GET ${pagePath} answered ${page.status} ${page.location ?? ''}`);
    const form = applyChanges(formFor(page.html, action), changes);
    return this.post(form.action, serialise(form, omitLabels));
  }
}
