import { describe, expect, it } from 'vitest';
import { apiKeys, buildApi } from './build-api';
import { events, eventNames, requestChannels, requests } from './contract';
import { apiNameOf, eventApiNameOf } from './define';

describe('contract', () => {
  it('names every channel area:verb-noun and every event in the past tense form area:noun-verbed', () => {
    for (const ch of requestChannels) expect(ch).toMatch(/^[a-z]+:[a-z]+(-[a-z0-9]+)*$/);
    for (const ev of eventNames) expect(ev).toMatch(/^[a-z]+:[a-z0-9-]+$/);
  });

  it('has a request schema, a response schema and a summary for every channel', () => {
    for (const ch of requestChannels) {
      const def = requests[ch];
      expect(typeof def.request.safeParse).toBe('function');
      expect(typeof def.response.safeParse).toBe('function');
      expect(def.summary.length).toBeGreaterThan(5);
    }
    for (const ev of eventNames) expect(typeof events[ev].safeParse).toBe('function');
  });

  it('maps channel names to unique api function names', () => {
    expect(apiNameOf('app:get-info')).toBe('appGetInfo');
    expect(apiNameOf('relay:list-messages')).toBe('relayListMessages');
    expect(eventApiNameOf('relay:message-received')).toBe('onRelayMessageReceived');
    const keys = apiKeys();
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('app:set-settings refuses unknown fields and out-of-range ports', () => {
    const s = requests['app:set-settings'].request;
    expect(s.safeParse({ patch: { theme: 'dark' } }).success).toBe(true);
    expect(s.safeParse({ patch: { colour: 'red' } }).success).toBe(false);
    expect(s.safeParse({ patch: { relay: { port: 70000 } } }).success).toBe(false);
  });
});

describe('buildApi', () => {
  it('builds a frozen object with exactly one function per contract entry, forwarding channel and argument', async () => {
    const calls: Array<[string, unknown]> = [];
    const subs: string[] = [];
    const api = buildApi({
      invoke: async (ch, arg) => {
        calls.push([ch, arg]);
        return { ok: true, value: 'x' };
      },
      subscribe: (ev) => {
        subs.push(ev);
        return () => {};
      },
    });
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.keys(api).sort()).toEqual(apiKeys().sort());
    expect(await api.appGetInfo({})).toEqual({ ok: true, value: 'x' });
    expect(calls).toEqual([['app:get-info', {}]]);
    const off = api.onAppSettingsChanged(() => {});
    expect(typeof off).toBe('function');
    expect(subs).toEqual(['app:settings-changed']);
    expect(() => (api.onAppSettingsChanged as (l: unknown) => void)('nope')).toThrow(/listener function/);
  });
});
