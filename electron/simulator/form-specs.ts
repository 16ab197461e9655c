/**
 * The camera's forms as data (docs/camera.md §4): each field's key, visible label, kind and choices. The
 * classic pages (pages.ts) and the seeded firmware variants (variants/) render and parse these same specs, so
 * both keep the documented labels and the same full-form-replace rules.
 */
import { BEHAVIOUR_IDS, BEHAVIOUR_NAMES, WEEKDAYS } from './types';
import type { FieldSpec, FormSpec } from './forms';

/** Time zones the General form offers. */
export const TIME_ZONES = ['UTC', 'Europe/London', 'Europe/Berlin', 'Europe/Paris', 'America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'Asia/Tokyo', 'Asia/Singapore', 'Australia/Sydney'];

/** Options from [value, label] pairs. */
export const opts = (pairs: [string, string][]) => pairs.map(([value, label]) => ({ value, label }));

/** The alt variant's unrelated extra fields. */
export const ALT_EXTRAS: FieldSpec[] = [
  { key: 'x_lang', label: 'lang', kind: 'hidden', altOnly: true },
  { key: 'x_notes', label: 'Installer Notes', kind: 'text', altOnly: true },
  { key: 'x_beep', label: 'Play Sound On Save', kind: 'checkbox', altOnly: true },
];

/** System > General. */
export const GENERAL: FormSpec = {
  id: 'general',
  fields: [
    { key: 'deviceName', label: 'Device Name', kind: 'text' },
    { key: 'location', label: 'Location', kind: 'text' },
    { key: 'smtpServer', label: 'SMTP Server', kind: 'text' },
    { key: 'ntpServer', label: 'Time Server', kind: 'text' },
    { key: 'timeZone', label: 'Time Zone', kind: 'select', options: opts(TIME_ZONES.map((z) => [z, z])) },
    { key: 'nameOverlay', label: 'Show Device Name Overlay', kind: 'checkbox' },
    { key: 'dateOverlay', label: 'Show Date/Time Overlay', kind: 'checkbox' },
    {
      key: 'overlayPosition',
      label: 'Overlay Position',
      kind: 'select',
      opaqueOptions: true,
      options: opts([
        ['top-left', 'Top Left'],
        ['top-right', 'Top Right'],
        ['bottom-left', 'Bottom Left'],
        ['bottom-right', 'Bottom Right'],
      ]),
    },
    ...ALT_EXTRAS,
  ],
};

/** Source types. */
export const SOURCE_TYPES = opts([
  ['alarm', 'Alarm'],
  ['system', 'System'],
  ['timer', 'Timer'],
  ['analytics', 'Analytics'],
]);

/** A source's form. */
export const SOURCE: FormSpec = {
  id: 'source',
  fields: [
    { key: 'orig', label: 'orig', kind: 'hidden' },
    { key: 'name', label: 'Name', kind: 'text' },
    { key: 'type', label: 'Source Type', kind: 'select', opaqueOptions: true, options: SOURCE_TYPES },
    { key: 'alarmDwellS', label: 'Dwell Time (seconds)', kind: 'number' },
    {
      key: 'alarmPolarity',
      label: 'Polarity',
      kind: 'select',
      opaqueOptions: true,
      options: opts([
        ['normally-open', 'Normally Open'],
        ['normally-closed', 'Normally Closed'],
      ]),
    },
    { key: 'timerIntervalS', label: 'Interval (seconds)', kind: 'number' },
    { key: 'analyticsAny', label: 'Any Analytics', kind: 'checkbox' },
    { key: 'analyticsBehaviours', label: 'Behaviors', kind: 'checkgroup', opaqueOptions: true, options: BEHAVIOUR_IDS.map((id) => ({ value: id, label: BEHAVIOUR_NAMES[id] })) },
    ...ALT_EXTRAS,
  ],
};

/** Handler types. */
export const HANDLER_TYPES = opts([
  ['email', 'Send Email'],
  ['ftp', 'Upload JPEG to FTP'],
  ['sd', 'Write JPEG to SD card'],
  ['relay', 'Open/Close Relay'],
]);

/** Weekday names. */
export const DAY_NAMES: Record<string, string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };

/** A handler's form (its Sources choices are the camera's sources). */
export function handlerForm(sourceNames: string[]): FormSpec {
  return {
    id: 'handler',
    fields: [
      { key: 'orig', label: 'orig', kind: 'hidden' },
      { key: 'name', label: 'Name', kind: 'text' },
      { key: 'type', label: 'Handler Type', kind: 'select', opaqueOptions: true, options: HANDLER_TYPES },
      { key: 'to', label: 'To', kind: 'email' },
      { key: 'from', label: 'From', kind: 'email' },
      { key: 'subject', label: 'Subject', kind: 'text' },
      { key: 'message', label: 'Message', kind: 'textarea' },
      { key: 'jpegSnapshot', label: 'JPEG Snapshot', kind: 'checkbox' },
      { key: 'rawEventData', label: 'Attach Raw Event Data', kind: 'checkbox' },
      { key: 'ftpServer', label: 'FTP Server', kind: 'text' },
      { key: 'ftpPath', label: 'FTP Path', kind: 'text' },
      { key: 'relayDurationS', label: 'Relay Duration (seconds)', kind: 'number', step: '0.1' },
      { key: 'days', label: 'Days', kind: 'checkgroup', opaqueOptions: true, options: WEEKDAYS.map((d) => ({ value: d, label: DAY_NAMES[d] })) },
      { key: 'startTime', label: 'Start Time (HHMM)', kind: 'text' },
      { key: 'endTime', label: 'End Time (HHMM)', kind: 'text' },
      { key: 'sources', label: 'Sources', kind: 'checkgroup', options: sourceNames.map((n) => ({ value: n, label: n })) },
      ...ALT_EXTRAS,
    ],
  };
}

/** The analytics profile form. */
export const PROFILE: FormSpec = {
  id: 'profile',
  fields: [
    {
      key: 'sceneType',
      label: 'Scene Type',
      kind: 'select',
      opaqueOptions: true,
      options: opts([
        ['indoor', 'Indoor'],
        ['outdoor', 'Outdoor'],
      ]),
    },
    {
      key: 'background',
      label: 'Background',
      kind: 'select',
      opaqueOptions: true,
      options: opts([
        ['still', 'Still'],
        ['noisy', 'Noisy'],
      ]),
    },
    {
      key: 'fineTuning',
      label: 'Fine Tuning',
      kind: 'select',
      opaqueOptions: true,
      options: opts([
        ['conservative', 'Conservative'],
        ['normal', 'Normal'],
        ['aggressive', 'Aggressive'],
      ]),
    },
    { key: 'sensitivity', label: 'Sensitivity', kind: 'number' },
    ...ALT_EXTRAS,
  ],
};

/** A behaviour's form. */
export const BEHAVIOUR: FormSpec = {
  id: 'behaviour',
  fields: [
    { key: 'active', label: 'Activate Behavior', kind: 'checkbox' },
    { key: 'sensitivity', label: 'Sensitivity', kind: 'number' },
    ...ALT_EXTRAS,
  ],
};

/** A user's form. */
export const USER: FormSpec = {
  id: 'user',
  fields: [
    { key: 'orig', label: 'orig', kind: 'hidden' },
    { key: 'name', label: 'Username', kind: 'text' },
    { key: 'password', label: 'Password', kind: 'password' },
    {
      key: 'role',
      label: 'Role',
      kind: 'select',
      opaqueOptions: true,
      options: opts([
        ['admin', 'Admin'],
        ['manager', 'Manager'],
        ['viewer', 'Viewer'],
      ]),
    },
    ...ALT_EXTRAS,
  ],
};

