import { Checkbox, NumberInput, PasswordInput, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { checkEmailAddress, checkName } from '../../../../shared/domain/camera';
import type { SiteProfileSettings } from '../../../../shared/domain/settings';

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

/** The problems that keep the job from starting, by field (checked as the technician types). */
export function siteFormProblems(f: SiteForm): Partial<Record<keyof SiteProfileSettings | 'username' | 'ten', string>> {
  const p = f.profile;
  const out: Partial<Record<keyof SiteProfileSettings | 'username' | 'ten', string>> = {};
  const sensitivity = sensitivityOf(f);
  if (sensitivity === 'invalid') out.sceneSensitivity = `Scene sensitivity is a whole number from 1 to 10; "${f.sensitivity}" is refused (leave it empty to keep each camera's own value).`;
  if (!p.smtpServer.trim()) out.smtpServer = "Enter the relay's address on the camera network (this laptop, or the site's relay).";
  if (!p.ntpServer.trim()) out.ntpServer = 'Enter the NTP server the cameras use (a local one: the cameras have no internet).';
  const to = p.to.trim() ? checkEmailAddress('To', p.to) : { message: 'Enter who gets the alerts.' };
  if (to) out.to = to.message;
  const from = p.from.trim() ? checkEmailAddress('From', p.from) : { message: 'Enter the sender address of the alerts.' };
  if (from) out.from = from.message;
  if (!p.subject.trim()) out.subject = 'The test recognises the e-mail by its subject: give it one.';
  const source = checkName('Source name', p.sourceName);
  if (source) out.sourceName = source.message;
  const handler = checkName('Handler name', p.handlerName);
  if (handler) out.handlerName = handler.message;
  if (!f.username.trim()) out.username = 'Enter the camera user (legacy default: admin).';
  if (sensitivity === 10 && !f.isTenConfirmed) out.ten = 'Confirm that the cameras stay at 10, or choose the scene sensitivity.';
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
  const problems = siteFormProblems(form);
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
