import { describe, expect, it } from 'vitest';
import { profileFromData, SARIX_PROFILE } from './firmware-profile';

describe('a firmware profile file adds to the defaults', () => {
  it('a file that names one page only adds its path guess and keeps the other pages', () => {
    const p = profileFromData({ name: 'site', pages: { sources: { paths: ['/events/sources'] } } });
    expect(p.pages.sources.paths).toEqual(['/events/sources', ...SARIX_PROFILE.pages.sources.paths]);
    expect(p.pages.general.paths).toEqual(SARIX_PROFILE.pages.general.paths);
  });

  it('an unknown page name is refused, saying where', () => {
    expect(() => profileFromData({ pages: { sauces: { paths: ['/x'] } } })).toThrow(/pages/);
  });
});
