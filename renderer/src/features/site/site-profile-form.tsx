import type { TFunction } from 'i18next';
import { Checkbox, NumberInput, PasswordInput, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { checkEmailAddress, checkName } from '../../../../shared/domain/camera';
import type { SiteProfileSettings } from '../../../../shared/domain/settings';
import { localMessage } from '../../i18n/localized';

/** What the Site page asks once for every camera: the site profile, the camera login and how many at once. */
export interface SiteForm {
  profile: SiteProfileSettings;
  username: string;
  password: string;
  concurrency: number;
  /** The scene sensitivity field as typed (a number 1–10, or empty: keep each camera's own); never clamped. */
  sensitivity: number | string;
  /** The technician confirmed that the cameras stay at sensitivity 10 (they alarm on every shadow). */
  isTenConfirmed: boolean;
}

/** The scene sensitivity the form asks for: 1–10, null (keep each camera's own), or 'invalid' (refused, never clamped). */
export function sensitivityOf(f: Pick<SiteForm, 'sensitivity'>): number | null | 'invalid' {
  if (f.sensitivity === '' || f.sensitivity === undefined) return null;
  const n = typeof f.sensitivity === 'number' ? f.sensitivity : Number(f.sensitivity);
  return Number.isInteger(n) && n >= 1 && n <= 10 ? n : 'invalid';
}

/** The problems that keep the job from starting, by field (checked as the technician types), in the language of `t`. */
export function siteFormProblems(f: SiteForm, t: TFunction): Partial<Record<keyof SiteProfileSettings | 'username' | 'ten', string>> {
  const p = f.profile;
  const out: Partial<Record<keyof SiteProfileSettings | 'username' | 'ten', string>> = {};
  const sensitivity = sensitivityOf(f);
  if (sensitivity === 'invalid') out.sceneSensitivity = t('site.problems.sensitivity', { value: String(f.sensitivity) });
  if (!p.smtpServer.trim()) out.smtpServer = t('site.problems.smtp');
  if (!p.ntpServer.trim()) out.ntpServer = t('site.problems.ntp');
  const to = p.to.trim() ? checkEmailAddress('To', p.to) : { message: t('site.problems.to') };
  if (to) out.to = localMessage(t, to);
  const from = p.from.trim() ? checkEmailAddress('From', p.from) : { message: t('site.problems.from') };
  if (from) out.from = localMessage(t, from);
  if (!p.subject.trim()) out.subject = t('site.problems.subject');
  const source = checkName('Source name', p.sourceName);
  if (source) out.sourceName = localMessage(t, source);
  const handler = checkName('Handler name', p.handlerName);
  if (handler) out.handlerName = localMessage(t, handler);
  if (!f.username.trim()) out.username = t('site.problems.username');
  if (sensitivity === 10 && !f.isTenConfirmed) out.ten = t('site.problems.ten');
  return out;
}

/**
 * The site profile form: SMTP and NTP server, the e-mail (To, From, Subject, Message), source and handler names
 * (2–23 letters and digits, checked as you type), the scene sensitivity after the test (1–10, empty keeps each
 * camera's own), the camera login and how many cameras are configured at once.
 */
export function SiteProfileForm({ form, onChange, isDisabled }: { form: SiteForm; onChange: (f: SiteForm) => void; isDisabled: boolean }) {
  const { t } = useTranslation();
  const p = form.profile;
  const problems = siteFormProblems(form, t);
  const set = (patch: Partial<SiteProfileSettings>) => onChange({ ...form, profile: { ...p, ...patch } });
  // Show a field's problem once it has a value (an empty form is not a wall of red).
  const shown = (k: keyof SiteProfileSettings, v: string) => (v.trim() ? problems[k] : undefined);
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        <TextInput label={t('site.form.smtp')} description={t('site.form.smtpHint')} value={p.smtpServer} onChange={(e) => set({ smtpServer: e.currentTarget.value })} required disabled={isDisabled} />
        <TextInput label={t('site.form.ntp')} value={p.ntpServer} onChange={(e) => set({ ntpServer: e.currentTarget.value })} required disabled={isDisabled} />
        <NumberInput
          label={t('site.form.sensitivity')}
          description={t('site.form.sensitivityHint')}
          min={1}
          max={10}
          clampBehavior="none"
          value={form.sensitivity}
          onChange={(v) => onChange({ ...form, sensitivity: v, isTenConfirmed: false })}
          error={problems.sceneSensitivity}
          disabled={isDisabled}
        />
        <TextInput label={t('site.form.to')} placeholder="security@site.example" value={p.to} onChange={(e) => set({ to: e.currentTarget.value })} error={shown('to', p.to)} required disabled={isDisabled} />
        <TextInput label={t('site.form.from')} placeholder="cameras@site.example" value={p.from} onChange={(e) => set({ from: e.currentTarget.value })} error={shown('from', p.from)} required disabled={isDisabled} />
        <TextInput label={t('site.form.subject')} value={p.subject} onChange={(e) => set({ subject: e.currentTarget.value })} error={problems.subject} disabled={isDisabled} />
        <TextInput label={t('site.form.source')} description={t('site.form.nameHint')} value={p.sourceName} onChange={(e) => set({ sourceName: e.currentTarget.value })} error={problems.sourceName} disabled={isDisabled} />
        <TextInput label={t('site.form.handler')} description={t('site.form.nameHint')} value={p.handlerName} onChange={(e) => set({ handlerName: e.currentTarget.value })} error={problems.handlerName} disabled={isDisabled} />
        <NumberInput label={t('site.form.concurrency')} description={t('site.form.concurrencyHint')} min={1} max={16} allowDecimal={false} value={form.concurrency} onChange={(v) => onChange({ ...form, concurrency: typeof v === 'number' ? Math.min(16, Math.max(1, v)) : 4 })} disabled={isDisabled} />
        <TextInput label={t('site.form.user')} description={t('site.form.userHint')} value={form.username} onChange={(e) => onChange({ ...form, username: e.currentTarget.value })} error={problems.username} required disabled={isDisabled} />
        <PasswordInput label={t('site.form.password')} value={form.password} onChange={(e) => onChange({ ...form, password: e.currentTarget.value })} disabled={isDisabled} />
      </SimpleGrid>
      <Textarea label={t('site.form.message')} autosize minRows={2} maxRows={5} value={p.message} onChange={(e) => set({ message: e.currentTarget.value })} disabled={isDisabled} />
      {sensitivityOf(form) === 10 && (
        <Checkbox
          color="orange"
          label={<Text size="sm">{t('site.form.keepTen')}</Text>}
          checked={form.isTenConfirmed}
          onChange={(e) => onChange({ ...form, isTenConfirmed: e.currentTarget.checked })}
          disabled={isDisabled}
        />
      )}
    </Stack>
  );
}
