/**
 * The two kinds of list item (docs/camera.md §4): an analytics event source and a Send Email handler, each read
 * and written by label, with drop-down choices picked by their visible text.
 */
import type { EventHandler, EventSource } from '../../../shared/domain/camera';
import { failure, sub } from '../../../shared/i18n/messages';
import type { SubMessage } from '../../../shared/ipc/result';
import type { DriverCore } from './driver-core';
import type { ItemKind } from './driver-events';
import { chosenOf, sameVisible, visibleValue, type FormEdit, type FormField, type WebForm } from './web-form';

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.some((y) => sameVisible(x, y)));

/** The key of the first pattern that matches a visible choice text. */
function typeOf<K extends string>(options: Record<K, RegExp>, text: string): K | 'unknown' {
  return (Object.keys(options) as K[]).find((k) => options[k].test(text)) ?? 'unknown';
}

/** Picks the choice (option or radio) whose visible text matches a pattern. */
function choose(e: FormEdit, f: FormField, re: RegExp): void {
  const texts = f.kind === 'select' ? f.controls[0].options.map((o) => o.text) : f.controls.map((c) => c.label);
  const hit = texts.find((t) => re.test(t));
  if (hit === undefined) throw failure('CAMERA_ERROR', 'errors.CAMERA_ERROR.noSuchChoice', { label: f.label, pattern: String(re), choices: texts.join(', ') });
  e.setVisible(f, hit);
}

/** Analytics event sources. */
export function sourceKind(c: DriverCore): ItemKind<EventSource> {
  const s = c.p.source;
  const typeField = (f: WebForm, what: SubMessage) => c.need(f, s.type, what, ['select', 'radio']);
  return {
    noun: 'source',
    list: 'sources',
    addLabel: c.p.list.addSource,
    isForm: (f) => f.method === 'POST' && !!c.optional(f, s.type, ['select', 'radio']) && !!c.optional(f, s.name, ['text']),
    formDescription: sub('driver.form.source'),
    read: (f) => {
      const what = sub('driver.doing.readSource');
      const type = typeOf(s.typeOptions, visibleValue(typeField(f, what)));
      const out: EventSource = { name: visibleValue(c.need(f, s.name, what, ['text'])), type };
      if (type === 'analytics') {
        const any = c.optional(f, s.anyAnalytics, ['checkbox']);
        out.anyBehaviour = any ? any.controls[0].checked : false;
        const g = f.choiceGroup(s.behaviours);
        out.behaviours = g ? chosenOf(g) : [];
      }
      return out;
    },
    edit: (f, want, what) => {
      const e = f.edit();
      e.setVisible(c.need(f, s.name, what, ['text']), want.name);
      if (want.type !== 'unknown') choose(e, typeField(f, what), s.typeOptions[want.type]);
      if (want.type === 'analytics') {
        e.setChecked(c.need(f, s.anyAnalytics, what, ['checkbox']).controls[0], want.anyBehaviour ?? false);
        const g = f.choiceGroup(s.behaviours);
        if (!g) throw failure('CAMERA_ERROR', 'errors.CAMERA_ERROR.noBehaviorChoices', { what, seen: f.labelsSeen().join(', ') });
        e.setChoices(g, want.behaviours ?? []);
      }
      return e.hasChanges() ? e : null;
    },
    matches: (have, want) => {
      if (have.name !== want.name || have.type !== want.type) return false;
      if (want.type !== 'analytics') return true;
      return (have.anyBehaviour ?? false) === (want.anyBehaviour ?? false) && sameSet(have.behaviours ?? [], want.behaviours ?? []);
    },
  };
}

/** Send Email (and other) event handlers. */
export function handlerKind(c: DriverCore): ItemKind<EventHandler> {
  const h = c.p.handler;
  return {
    noun: 'handler',
    list: 'handlers',
    addLabel: c.p.list.addHandler,
    isForm: (f) => f.method === 'POST' && !!c.optional(f, h.type, ['select', 'radio']) && !!c.optional(f, h.to),
    formDescription: sub('driver.form.handler'),
    read: (f) => {
      const what = sub('driver.doing.readHandler');
      const text = (re: RegExp) => {
        const x = c.optional(f, re, ['text', 'textarea']);
        return x ? visibleValue(x) : '';
      };
      const box = (re: RegExp) => c.optional(f, re, ['checkbox'])?.controls[0].checked ?? false;
      const g = f.choiceGroup(h.sources);
      return {
        name: visibleValue(c.need(f, h.name, what, ['text'])),
        type: typeOf(h.typeOptions, visibleValue(c.need(f, h.type, what, ['select', 'radio']))),
        to: text(h.to),
        from: text(h.from),
        subject: text(h.subject),
        message: text(h.message).replace(/\r\n/g, '\n'),
        jpegSnapshot: box(h.jpegSnapshot),
        rawEventData: box(h.rawEventData),
        sources: g ? chosenOf(g) : [],
      };
    },
    edit: (f, want, what) => {
      const e = f.edit();
      const set = (re: RegExp, v: string | undefined) => {
        if (v !== undefined) e.setVisible(c.need(f, re, what, ['text', 'textarea']), v);
      };
      set(h.name, want.name);
      if (want.type !== 'unknown') choose(e, c.need(f, h.type, what, ['select', 'radio']), h.typeOptions[want.type]);
      set(h.to, want.to);
      set(h.from, want.from);
      set(h.subject, want.subject);
      set(h.message, want.message);
      if (want.jpegSnapshot !== undefined) e.setChecked(c.need(f, h.jpegSnapshot, what, ['checkbox']).controls[0], want.jpegSnapshot);
      if (want.rawEventData !== undefined) e.setChecked(c.need(f, h.rawEventData, what, ['checkbox']).controls[0], want.rawEventData);
      const g = f.choiceGroup(h.sources);
      const offered = g ? (g.kind === 'select-multiple' ? g.controls[0].options.map((o) => o.text) : g.controls.map((x) => x.label)) : [];
      const missing = want.sources.filter((s) => !offered.some((o) => sameVisible(o, s)));
      if (missing.length || !g) {
        throw failure('VALIDATION', 'errors.VALIDATION.handlerSourceMissing', { what, sources: missing.map((m) => `"${m}"`).join(', ') });
      }
      e.setChoices(g, want.sources);
      return e.hasChanges() ? e : null;
    },
    matches: (have, want) => {
      const eq = <T>(a: T | undefined, b: T | undefined) => b === undefined || a === b;
      return (
        have.name === want.name &&
        have.type === want.type &&
        eq(have.to, want.to) &&
        eq(have.from, want.from) &&
        eq(have.subject, want.subject) &&
        eq(have.message?.replace(/\r\n/g, '\n').trim(), want.message?.replace(/\r\n/g, '\n').trim()) &&
        eq(have.jpegSnapshot, want.jpegSnapshot) &&
        eq(have.rawEventData, want.rawEventData) &&
        sameSet(have.sources, want.sources)
      );
    },
  };
}
