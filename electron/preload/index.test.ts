import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as electronModule from 'electron';
import { apiKeys } from '../../shared/ipc/build-api';
import { eventNames, requestChannels } from '../../shared/ipc/contract';
import { apiNameOf, eventApiNameOf } from '../../shared/ipc/define';
import type { FakeElectron } from '../main/fake-electron';

vi.mock('electron', async () => (await import('../main/fake-electron')).createFakeElectron());
const electron = electronModule as unknown as FakeElectron;

type AnyApi = Record<string, (arg?: unknown) => unknown>;
let api: AnyApi;

beforeAll(async () => {
  await import('./index');
  expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledOnce();
  const [name, value] = electron.contextBridge.exposeInMainWorld.mock.calls[0] as unknown as [string, AnyApi];
  expect(name).toBe('api');
  api = value;
});

describe('preload window.api', () => {
  it('exposes exactly the contract keys, all functions, and nothing generic', () => {
    expect(Object.keys(api).sort()).toEqual(apiKeys().sort());
    for (const k of Object.keys(api)) expect(typeof api[k]).toBe('function');
    for (const generic of ['invoke', 'send', 'on', 'ipcRenderer']) expect(api).not.toHaveProperty(generic);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(api)).toBe(true);
    expect(() => {
      (api as Record<string, unknown>).extra = () => 0;
    }).toThrow(TypeError);
  });

  it('maps each request function to ipcRenderer.invoke on its own channel', async () => {
    for (const ch of requestChannels) {
      electron.ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, value: ch });
      const r = await api[apiNameOf(ch)]({});
      expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith(ch, {});
      expect(r).toEqual({ ok: true, value: ch });
    }
  });

  it('turns a rejected invoke into an UNAVAILABLE Result', async () => {
    electron.ipcRenderer.invoke.mockRejectedValueOnce(new Error("No handler registered for 'app:get-info'"));
    const r = await api.appGetInfo({});
    expect(r).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
  });

  it('subscribes to each event, passes only the payload, and unsubscribes', () => {
    for (const ev of eventNames) {
      const listener = vi.fn();
      const off = api[eventApiNameOf(ev)](listener) as () => void;
      electron.ipcRenderer.emit(ev, { sender: 'ipc-event' }, { hello: ev });
      expect(listener).toHaveBeenCalledExactlyOnceWith({ hello: ev });
      off();
      electron.ipcRenderer.emit(ev, { sender: 'ipc-event' }, { again: true });
      expect(listener).toHaveBeenCalledOnce();
      expect(electron.ipcRenderer.listenerCount(ev)).toBe(0);
    }
  });

  it('rejects a subscribe call without a listener', () => {
    const first = eventApiNameOf(eventNames[0]);
    expect(() => api[first]('not a function')).toThrow(TypeError);
  });
});
