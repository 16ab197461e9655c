/**
 * Catalog keys of the doctor's check titles and groups, by check id: literal keys (the source-key test sees them), and
 * `satisfies` makes a new check without a title key a type error.
 */
import type { CheckGroup, CheckId } from '../domain/diagnostics';

/** The title key of each check. */
export const CHECK_TITLE_KEYS = {
  'camera-reachable': 'doctor.checks.camera-reachable',
  'camera-login': 'doctor.checks.camera-login',
  'camera-clock': 'doctor.checks.camera-clock',
  'camera-firmware': 'doctor.checks.camera-firmware',
  'camera-handlers': 'doctor.checks.camera-handlers',
  'camera-smtp-server': 'doctor.checks.camera-smtp-server',
  'camera-sabotage': 'doctor.checks.camera-sabotage',
  'smtp-resolve': 'doctor.checks.smtp-resolve',
  'smtp-local': 'doctor.checks.smtp-local',
  'smtp-connect': 'doctor.checks.smtp-connect',
  'smtp-greeting': 'doctor.checks.smtp-greeting',
  'smtp-sender': 'doctor.checks.smtp-sender',
  'smtp-recipient': 'doctor.checks.smtp-recipient',
  'smtp-send-test': 'doctor.checks.smtp-send-test',
  'ntp-resolve': 'doctor.checks.ntp-resolve',
  'ntp-answer': 'doctor.checks.ntp-answer',
  'ntp-laptop-clock': 'doctor.checks.ntp-laptop-clock',
  'relay-listening': 'doctor.checks.relay-listening',
  'relay-allow-list': 'doctor.checks.relay-allow-list',
  'relay-port-privilege': 'doctor.checks.relay-port-privilege',
} as const satisfies Record<CheckId, string>;

/** The title key of each check group. */
export const GROUP_TITLE_KEYS = {
  camera: 'doctor.groups.camera',
  smtp: 'doctor.groups.smtp',
  ntp: 'doctor.groups.ntp',
  relay: 'doctor.groups.relay',
} as const satisfies Record<CheckGroup, string>;
