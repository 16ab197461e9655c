import { describe, expect, it } from 'vitest';
import { navTargets } from './navigation';
import { loadHtml } from './web-form';

describe('navigation targets a person can click', () => {
  it('a drop-down jump menu: each option whose value is a path, by its visible text, under its option group', () => {
    const $ = loadHtml(`<form name="jump"><select name="go" onchange="location=this.value"><option value="">-- Settings --</option>
<optgroup label="System"><option value="/config/general.html">General</option></optgroup>
<optgroup label="Events"><option value="/config/srclist.html">Sources</option><option value="/config/vca.html">Analytic  Configuration</option></optgroup>
</select></form>`);
    const t = navTargets($, 'http://cam/liveview').filter((x) => x.how === 'option');
    expect(t).toEqual([
      { text: 'General', path: '/config/general.html', menus: ['System'], how: 'option' },
      { text: 'Sources', path: '/config/srclist.html', menus: ['Events'], how: 'option' },
      { text: 'Analytic Configuration', path: '/config/vca.html', menus: ['Events'], how: 'option' },
    ]);
  });
});
