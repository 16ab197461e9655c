import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Handlers } from '../dispatch';
import { captureCamera } from '../../services/camera/capture';

/** Handlers of the `camera:*` channels: captures go to `<userData>/captures`. */
export function createCameraHandlers(o: { userDataPath: string }): Pick<Handlers, 'camera:capture-pages'> {
  return {
    'camera:capture-pages': async ({ target }) => {
      const folder = join(o.userDataPath, 'captures');
      await mkdir(folder, { recursive: true, mode: 0o700 });
      const host = new URL(target.url).host.replace(/[^A-Za-z0-9.-]+/g, '_');
      const out = join(folder, `capture-${host}-${new Date().toISOString().replace(/[:.]/g, '-')}.zip`);
      const r = await captureCamera({ url: target.url, username: target.username, password: target.password, out });
      return { file: r.file, pages: r.pages, problems: r.problems };
    },
  };
}
