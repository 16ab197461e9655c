/** Pieces every wizard step shows: why it matters, the camera's current values, the planned change. */
import { Badge, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Change } from '../../../../shared/domain/commissioning';
import type { SessionStep } from '../../../../shared/domain/commissioning-session';
import type { ArticleId } from '../../../../shared/domain/diagnostics';
import { localText, type KeyedText } from '../../i18n/localized';
import { KbLink } from './kb-link';
import { stepTitle } from './step-titles';

// Catalog keys of the camera fields a change names (the last part of "general.smtpServer", "source Lens1.type").
const FIELD_LABELS: Record<string, string> = {
  smtpServer: 'wizard.field.smtpServer',
  ntpServer: 'wizard.field.ntpServer',
  type: 'wizard.field.type',
  anyBehaviour: 'wizard.field.anyBehaviour',
  behaviours: 'wizard.field.behaviours',
  name: 'wizard.field.name',
  to: 'wizard.field.to',
  from: 'wizard.field.from',
  subject: 'wizard.field.subject',
  message: 'wizard.field.message',
  jpegSnapshot: 'wizard.field.jpegSnapshot',
  rawEventData: 'wizard.field.rawEventData',
  sources: 'wizard.field.sources',
  active: 'wizard.field.active',
  sensitivity: 'wizard.field.sensitivity',
};

/** Which camera item a change belongs to: "source Lens1.type" → "source Lens1" ("" for System > General). */
function ownerOf(field: string): string {
  const owner = field.slice(0, Math.max(0, field.lastIndexOf('.')));
  return owner === 'general' ? '' : owner;
}

/**
 * An owner in words: "source Lens1" → "source Lens1" / "Quelle Lens1" (capitalised for a caption). A behaviour's
 * owner is its name on the camera ("Camera Sabotage") and stays as it is.
 */
function ownerLabel(owner: string, t: TFunction, isCaption = false): string {
  const m = /^(source|handler) (.*)$/s.exec(owner);
  if (!m) return owner;
  if (m[1] === 'source') return isCaption ? t('wizard.owner.sourceCaption', { name: m[2] }) : t('wizard.owner.source', { name: m[2] });
  return isCaption ? t('wizard.owner.handlerCaption', { name: m[2] }) : t('wizard.owner.handler', { name: m[2] });
}

/** A change's field in words: "general.smtpServer" → "SMTP server", "source Lens1.type" → "Type (source Lens1)". */
export function fieldLabel(field: string, t: TFunction, withOwner = true): string {
  const key = field.slice(field.lastIndexOf('.') + 1);
  const label = FIELD_LABELS[key] ? t(FIELD_LABELS[key]) : key;
  const owner = ownerOf(field);
  return owner && withOwner ? t('wizard.field.withOwner', { label, owner: ownerLabel(owner, t) }) : label;
}

// Catalog keys of the values the camera's pages show in words.
const VALUE_WORDS: Record<string, string> = {
  'send-email': 'wizard.value.sendEmail',
  analytics: 'wizard.value.analytics',
  alarm: 'wizard.value.alarm',
  system: 'wizard.value.system',
  timer: 'wizard.value.timer',
};

/** A value as the technician reads it. */
export function showValue(v: Change['to'], t: TFunction): string {
  if (v === null || v === '') return t('wizard.value.empty');
  if (typeof v === 'boolean') return v ? t('wizard.value.yes') : t('wizard.value.no');
  if (Array.isArray(v)) return v.join(', ') || t('wizard.value.none');
  return VALUE_WORDS[String(v)] ? t(VALUE_WORDS[String(v)]) : String(v);
}

/** A step's why line in the UI language (from its key when the machine side sends one). */
export function whyOf(g: { why: string; whyKey?: string; whyI18n?: KeyedText }, t: TFunction): string {
  return localText(t, g.why, g.whyI18n ?? (g.whyKey ? { key: g.whyKey } : undefined));
}

/** One line on why the step matters, with its knowledge-base article. */
export function WhyLine({ why, article }: { why: string; article: ArticleId }) {
  return (
    <Text size="sm" c="dimmed">
      {why} <KbLink id={article} />
    </Text>
  );
}

/** A machine-side shape with the optional `…I18n` keys it carries next to its English texts. */
export type Keyed<T, K extends string> = T & Partial<Record<K, KeyedText>>;

// `text` is a catalog key.
const STATUS_TEXT: Record<SessionStep['status'], { color: string; text: string }> = {
  pending: { color: 'gray', text: 'wizard.status.pending' },
  done: { color: 'green', text: 'wizard.status.done' },
  unchanged: { color: 'teal', text: 'wizard.status.unchanged' },
  failed: { color: 'red', text: 'wizard.status.failed' },
  'rolled-back': { color: 'orange', text: 'wizard.status.rolledBack' },
};

/** The camera's values now (read from it) beside the change the step will make. */
export function CurrentAndPlanned({ step }: { step: SessionStep }) {
  const { t } = useTranslation();
  const status = STATUS_TEXT[step.status];
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} data-testid={`step-${step.id}`}>
      <Card withBorder style={{ alignSelf: 'start' }}>
        <Title order={4} size="h5" mb="xs">
          {t('wizard.panel.onCamera')}
        </Title>
        <Table>
          <Table.Tbody>
            {step.current.map((c: Keyed<SessionStep['current'][number], 'labelI18n' | 'valueI18n'>) => (
              <Table.Tr key={c.label}>
                <Table.Th scope="row" w="45%">
                  {localText(t, c.label, c.labelI18n)}
                </Table.Th>
                <Table.Td>{localText(t, c.value, c.valueI18n)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
      <Card withBorder style={{ alignSelf: 'start' }}>
        <Group justify="space-between" mb="xs">
          <Title order={4} size="h5">
            {t('wizard.panel.planned')}
          </Title>
          <Badge color={status.color} data-testid={`status-${step.id}`}>
            {t(status.text)}
          </Badge>
        </Group>
        {step.status === 'pending' && step.changes.length === 0 && <Text size="sm">{t('wizard.panel.nothingToChange')}</Text>}
        {step.changes.length > 0 && <ChangeTable changes={step.changes} />}
        {step.detail && (
          <Text size="sm" mt="xs">
            {localText(t, step.detail, (step as Keyed<SessionStep, 'detailI18n'>).detailI18n)}
          </Text>
        )}
      </Card>
    </SimpleGrid>
  );
}

/** Changes as "field: from → to" (one item's changes under its name). */
export function ChangeTable({ changes }: { changes: Change[] }) {
  const { t } = useTranslation();
  const owners = [...new Set(changes.map((c) => ownerOf(c.field)))];
  const isOneItem = owners.length === 1 && owners[0] !== '';
  return (
    <Table captionSide="top">
      {isOneItem && <Table.Caption style={{ textAlign: 'left' }}>{ownerLabel(owners[0], t, true)}</Table.Caption>}
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('wizard.panel.setting')}</Table.Th>
          <Table.Th>{t('wizard.panel.now')}</Table.Th>
          <Table.Th>{t('wizard.panel.willBe')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {changes.map((c) => (
          <Table.Tr key={c.field}>
            <Table.Td>{fieldLabel(c.field, t, !isOneItem)}</Table.Td>
            <Table.Td>{showValue(c.from, t)}</Table.Td>
            <Table.Td fw={600}>{showValue(c.to, t)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** The whole plan before anything changes: every step's exact change, the test, and the end. */
export function PlanCard({ steps, testTarget, finalSmtp, behaviour }: { steps: SessionStep[]; testTarget?: string; finalSmtp: string; behaviour: string }) {
  const { t } = useTranslation();
  return (
    <Card withBorder data-testid="plan-card">
      <Stack gap="xs">
        <Title order={3} size="h4">
          {t('wizard.plan.title')}
        </Title>
        <ol style={{ margin: 0, paddingLeft: '1.2rem' }}>
          {steps.map((s) => (
            <li key={s.id}>
              <Text size="sm" fw={600}>
                {stepTitle(s, t)}
              </Text>
              <Text size="sm">
                {s.status !== 'pending'
                  ? t(STATUS_TEXT[s.status].text)
                  : s.changes.length === 0
                    ? t('wizard.plan.nothing')
                    : s.changes.map((c) => `${fieldLabel(c.field, t, false)} → ${showValue(c.to, t)}`).join('; ')}
              </Text>
            </li>
          ))}
          <li>
            <Text size="sm" fw={600}>
              {t('wizard.plan.test')}
            </Text>
            <Text size="sm">
              {testTarget ? t('wizard.plan.testLineTarget', { behaviour, target: testTarget }) : t('wizard.plan.testLine', { behaviour })}
            </Text>
          </li>
          <li>
            <Text size="sm" fw={600}>
              {t('wizard.plan.safeEnd')}
            </Text>
            <Text size="sm">{t('wizard.plan.safeEndLine', { smtp: finalSmtp || t('wizard.plan.notEntered') })}</Text>
          </li>
        </ol>
      </Stack>
    </Card>
  );
}
