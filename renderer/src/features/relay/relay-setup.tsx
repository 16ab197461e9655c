import { Alert, Button, Card, Checkbox, Collapse, Group, NumberInput, PasswordInput, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { ForwardSecurity, RelayState } from '../../../../shared/domain/relay';
import { api } from '../../api';
import { ErrorAlert, type TitledError } from '../../app/error-alert';
import { useTranslation } from 'react-i18next';

type Preset = { id: string; label: string; host: string; port: number; security: ForwardSecurity; guide: string };

/**
 * Start/stop the relay on one chosen address (never all interfaces silently) and port 25 by default, with optional
 * forwarding to an upstream server. Port errors (in use, needs a privilege) come back with what to do.
 */
export function RelaySetup({ state }: { state: RelayState }) {
  const { t } = useTranslation();
  const [addresses, setAddresses] = useState<Array<{ value: string; label: string }>>([{ value: '127.0.0.1', label: t('relay.setupCard.thisLaptop') }]);
  const [address, setAddress] = useState<string | null>(null);
  const [port, setPort] = useState<number | string>(25);
  const [acceptAnyAuth, setAcceptAnyAuth] = useState(true);
  const [isForwarding, setForwarding] = useState(false);
  const [presets, setPresets] = useState<Preset[]>([]);
  const [preset, setPreset] = useState<string | null>(null);
  const [host, setHost] = useState('');
  const [fport, setFport] = useState<number | string>(587);
  const [security, setSecurity] = useState<ForwardSecurity>('starttls');
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [hasSavedPassword, setHasSavedPassword] = useState(false);
  const [verify, setVerify] = useState(true);
  const [rewriteFrom, setRewriteFrom] = useState('');
  const [failure, setFailure] = useState<TitledError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void api.discoveryListInterfaces({}).then((r) => {
      if (!r.ok) return;
      const list = r.value.interfaces.filter((i) => i.kind !== 'loopback').map((i) => ({ value: i.address, label: `${i.address} (${i.name}${i.kind === 'physical' ? '' : `, ${i.kind}`})` }));
      setAddresses([...list, { value: '127.0.0.1', label: t('relay.setupCard.thisLaptop') }]);
      setAddress((cur) => cur ?? list[0]?.value ?? '127.0.0.1');
    });
    void api.relayGetForwardPresets({}).then((r) => r.ok && setPresets(r.value));
    // Fill the form with how the relay was last started here; the password stays on the machine side.
    void api.relayGetSavedSetup({}).then((r) => {
      const saved = r.ok ? r.value.setup : null;
      if (!saved) return;
      setAddress((cur) => cur ?? saved.listenAddress);
      setPort(saved.port);
      setAcceptAnyAuth(saved.acceptAnyAuth);
      if (saved.forward) {
        setForwarding(true);
        setHost(saved.forward.host);
        setFport(saved.forward.port);
        setSecurity(saved.forward.security);
        setUser(saved.forward.user ?? '');
        setVerify(saved.forward.verifyCertificate);
        setRewriteFrom(saved.forward.rewriteFrom ?? '');
        setHasSavedPassword(saved.forward.hasPassword);
      }
    });
  }, [t]);

  const choosePreset = (id: string | null) => {
    setPreset(id);
    const p = presets.find((x) => x.id === id);
    if (p) {
      setHost(p.host);
      setFport(p.port);
      setSecurity(p.security);
    }
  };

  const start = async () => {
    setBusy(true);
    setFailure(null);
    const r = await api.relayStart({
      options: {
        listenAddress: address ?? '127.0.0.1',
        port: typeof port === 'number' ? port : 25,
        allow: state.allow,
        acceptAnyAuth,
        forward: isForwarding
          ? { host: host.trim(), port: typeof fport === 'number' ? fport : 587, security, user: user.trim() || undefined, password: password || undefined, verifyCertificate: verify, rewriteFrom: rewriteFrom.trim() || undefined }
          : undefined,
      },
    });
    setBusy(false);
    if (!r.ok) setFailure({ title: t('relay.setupCard.startFailed'), error: r.error });
    else setPassword('');
  };
  const stop = async () => {
    setBusy(true);
    setFailure(null);
    const r = await api.relayStop({});
    setBusy(false);
    if (!r.ok) setFailure({ title: t('relay.setupCard.stopFailed'), error: r.error });
  };

  const guide = presets.find((p) => p.id === preset)?.guide;
  const isRunning = state.status === 'listening';
  return (
    <Card withBorder data-testid="relay-setup">
      <Stack gap="sm">
        <Group align="flex-end">
          <Select label={t('relay.setupCard.listenOn')} description={t('relay.setupCard.listenOnHint')} data={addresses} value={address} onChange={setAddress} disabled={isRunning} w={300} allowDeselect={false} />
          <NumberInput label={t('common.port')} description={t('relay.setupCard.portHint')} min={1} max={65535} value={port} onChange={setPort} disabled={isRunning} w={140} />
          <Switch label={t('relay.setupCard.acceptAnyAuth')} checked={acceptAnyAuth} onChange={(e) => setAcceptAnyAuth(e.currentTarget.checked)} disabled={isRunning} />
        </Group>
        <Checkbox label={t('relay.setupCard.forward')} checked={isForwarding} onChange={(e) => setForwarding(e.currentTarget.checked)} disabled={isRunning} />
        <Collapse expanded={isForwarding && !isRunning}>
          <Stack gap="xs">
            <Group align="flex-end">
              <Select label={t('relay.setupCard.preset')} placeholder={t('relay.setupCard.custom')} data={presets.map((p) => ({ value: p.id, label: p.label }))} value={preset} onChange={choosePreset} clearable w={220} />
              <TextInput label={t('relay.setupCard.upstreamHost')} value={host} onChange={(e) => setHost(e.currentTarget.value)} />
              <NumberInput label={t('common.port')} value={fport} onChange={setFport} min={1} max={65535} w={110} />
              <Select label={t('relay.setupCard.security')} data={[{ value: 'starttls', label: 'STARTTLS' }, { value: 'tls', label: t('relay.setupCard.implicitTls') }, { value: 'none', label: t('relay.setupCard.securityNone') }]} value={security} onChange={(v) => v && setSecurity(v as ForwardSecurity)} w={150} allowDeselect={false} />
            </Group>
            <Group align="flex-end">
              <TextInput label={t('relay.setupCard.login')} value={user} onChange={(e) => setUser(e.currentTarget.value)} autoComplete="off" />
              <PasswordInput
                label={t('relay.setupCard.password')}
                placeholder={hasSavedPassword ? t('relay.setupCard.savedHere') : undefined}
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
                autoComplete="off"
                w={220}
              />
              <TextInput label={t('relay.setupCard.rewriteFrom')} placeholder={t('relay.setupCard.rewriteFromPlaceholder')} value={rewriteFrom} onChange={(e) => setRewriteFrom(e.currentTarget.value)} />
              <Switch label={t('relay.setupCard.verify')} checked={verify} onChange={(e) => setVerify(e.currentTarget.checked)} />
            </Group>
            {guide && (
              <Alert color="blue" title={t('relay.setupCard.howTo')}>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {guide}
                </Text>
              </Alert>
            )}
            {!verify && <Alert color="orange">{t('relay.setupCard.verifyOff')}</Alert>}
          </Stack>
        </Collapse>
        <Group>
          {isRunning ? (
            <Button color="red" variant="light" onClick={stop} loading={busy}>
              {t('relay.setupCard.stop')}
            </Button>
          ) : (
            <Button onClick={start} loading={busy} disabled={!address}>
              {t('relay.setupCard.start')}
            </Button>
          )}
        </Group>
        {failure && <ErrorAlert error={failure.error} title={failure.title} />}
      </Stack>
    </Card>
  );
}
