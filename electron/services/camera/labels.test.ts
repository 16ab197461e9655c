import { describe, expect, it } from 'vitest';
import { SARIX_PROFILE } from './firmware-profile';
import { judgeSave } from './save-outcome';
import { chosenOf, FormLookupError, loadHtml, visibleValue, WebForm } from './web-form';

const form = (body: string) => WebForm.parse(`<form method="post" action="/s">${body}</form>`, 'http://cam/x')!;

describe('a label however the page ties it', () => {
  it.each([
    ['label for', '<label for="a">SMTP Server</label><input id="a" name="z" value="v">'],
    ['wrapping label', '<label><span>SMTP Server</span> <input name="z" value="v"></label>'],
    ['aria-labelledby', '<span id="l1">SMTP Server</span><input aria-labelledby="l1" name="z" value="v">'],
    ['aria-label', '<input aria-label="SMTP Server" name="z" value="v">'],
    ['title', '<div><b>Other</b><input title="SMTP Server" name="z" value="v"></div><div><input name="q"></div>'],
    ['table row header', '<table><tr><th>SMTP Server:</th><td><input name="z" value="v"></td></tr></table>'],
    ['neighbouring cell', '<table><tr><td>SMTP Server</td><td><input name="z" value="v"></td></tr></table>'],
    ['column header', '<table><thead><tr><th>SMTP Server</th><th>Port</th></tr></thead><tbody><tr><td><input name="z" value="v"></td><td><input name="p"></td></tr></tbody></table>'],
    ['definition list', '<dl><dt>SMTP Server *</dt><dd><input name="z" value="v"></dd></dl>'],
    ['text before in the same block', '<p>SMTP Server:<br><input name="z" value="v"></p><p>Other <input name="q"></p>'],
  ])('%s', (_how, html) => {
    const f = form(html);
    expect(f.field(/^smtp server$/i)?.controls.map((c) => c.name)).toEqual(['z']);
  });

  it('checkbox labels after the box, a group by its caption, radios by their group', () => {
    const f = form(`<p><input type="checkbox" name="j" value="1" checked> JPEG Snapshot</p>
<table><tr><th>Sources</th><td><input type="checkbox" name="s" value="x1" checked> Alarm1 <input type="checkbox" name="s" value="x2"> Sabotage</td></tr></table>
<fieldset><legend>Sensitivity</legend><label><input type="radio" name="r" value="7"> 4</label><label><input type="radio" name="r" value="6" checked> 5</label></fieldset>`);
    expect(f.field(/jpeg snapshot/i)?.controls[0]).toMatchObject({ name: 'j', checked: true });
    expect(chosenOf(f.choiceGroup(/^sources$/i)!)).toEqual(['Alarm1']);
    const sens = f.field(/^sensitivity$/i)!;
    expect(sens.kind).toBe('radio');
    expect(visibleValue(sens)).toBe('5');
    const e = f.edit().setVisible(sens, '4');
    expect(e.body()).toBe('j=1&s=x1&r=7');
  });

  it('a group named by the text that opens its own block ("Behaviors: [x] A [ ] B")', () => {
    const f = form(`<div class="fld">Name: <input type="text" name="n" value="S"></div>
<div class="fld">Behaviors: <label><input type="checkbox" name="b" value="k0">Camera Sabotage</label> <label><input type="checkbox" name="b" value="k1" checked>Adaptive Motion</label></div>
<div class="fld">Days: <label><input type="checkbox" name="d" value="mon">mon</label> <label><input type="checkbox" name="d" value="tue">tue</label></div>`);
    const g = f.choiceGroup(/^behaviou?rs$/i)!;
    expect(chosenOf(g)).toEqual(['Adaptive Motion']);
    expect(f.edit().setChoices(g, ['Camera Sabotage']).body()).toBe('n=S&b=k0');
    expect(f.choiceGroup(/^days$/i)?.controls.map((c) => c.value)).toEqual(['mon', 'tue']);
  });

  it('a grid form: one row per item, controls under column headers, read and written row by row; the whole form is posted', () => {
    const f = form(`<table><tr><th>Behavior</th><th>Activate Behavior</th><th>Sensitivity</th></tr>
<tr><td>Camera Sabotage</td><td><input type="checkbox" name="act" value="0"></td><td><select name="s0"><option value="s3">3</option><option value="s4" selected>4</option></select></td></tr>
<tr><td>Adaptive Motion</td><td><input type="checkbox" name="act" value="1" checked></td><td><select name="s1"><option value="s3" selected>3</option><option value="s4">4</option></select></td></tr></table>`);
    expect(() => f.field(/^sensitivity$/i)).toThrow(/two fields/);
    const row = f.forRow('Camera Sabotage')!;
    const sens = row.field(/^sensitivity$/i)!;
    expect(visibleValue(sens)).toBe('4');
    expect(row.field(/activate behaviou?r/i)!.controls[0]).toMatchObject({ name: 'act', value: '0', checked: false });
    const e = row.edit().setVisible(sens, '3');
    e.setChecked(row.field(/activate behaviou?r/i)!.controls[0], true);
    expect(e.body()).toBe('act=0&s0=s3&act=1&s1=s3');
    expect(f.forRow('Stopped Vehicle')).toBeUndefined();
  });

  it('a drop-down is set and read by its text, numbers compared as numbers, never by its value', () => {
    const f = form('<label>Sensitivity <select name="s"><option value="10">1</option><option value="7" selected>4</option><option value="6">5</option></select></label>');
    const s = f.field(/^sensitivity$/i)!;
    expect(visibleValue(s)).toBe('4');
    expect(f.edit().setVisible(s, '5').body()).toBe('s=6');
    expect(f.edit().setVisible(s, '04').body()).toBe('s=7');
  });

  it('two equally near matches are refused with the candidates seen; the nearer one wins otherwise', () => {
    const twice = form('<label for="a">Name</label><input id="a" name="a"><label for="b">Name</label><input id="b" name="b">');
    expect(() => twice.field(/^name$/i)).toThrow(FormLookupError);
    const near = form('<label for="a">Name</label><input id="a" name="a"><p>Name <input name="b"></p>');
    expect(near.field(/^name$/i)?.controls[0].name).toBe('a');
  });

  it('a control outside the form that names it with form= is posted with it', () => {
    const f = WebForm.parse('<form id="f1" method="post" action="/s"><label>A <input name="a" value="1"></label></form><input type="hidden" form="f1" name="tok" value="T">', 'http://cam/x')!;
    expect(f.edit().body()).toBe('a=1&tok=T');
  });
});

describe('hearing the camera’s answer to a save', () => {
  const j = (status: number, html?: string, location?: string) => judgeSave(status, location, html === undefined ? undefined : loadHtml(html), SARIX_PROFILE);
  it.each([
    [302, undefined, '/list', 'accepted'],
    [303, undefined, '/list', 'accepted'],
    [200, '<div class="notice success">Settings saved.</div><form></form>', undefined, 'accepted'],
    [200, '<form><input name="a"></form>', undefined, 'unclear'],
    [200, '<div class="error" role="alert">Sensitivity must be a whole number from 1 to 10.</div>', undefined, 'refused'],
    [200, '<p class="msg msg-err">The camera does not have enough processing power to activate this behavior</p>', undefined, 'refused'],
    [200, '<font color="red">Name too long</font>', undefined, 'refused'],
    [200, '<div class="alert alert-danger">Duplicate name.</div>', undefined, 'refused'],
    [200, '<h1>Error</h1><p>Save failed: the source is used by a handler.</p>', undefined, 'refused'],
    [409, '<div class="errmsg">A handler named "X" already exists.</div>', undefined, 'refused'],
    [500, '<h1>500 Internal Server Error</h1>', undefined, 'refused'],
    [403, '<div class="warn">The form has expired. Reload the page and try again.</div>', undefined, 'token-refused'],
  ])('HTTP %i %s → %s', (status, html, location, kind) => {
    expect(j(status, html, location).kind).toBe(kind);
  });

  it('keeps the camera’s own words', () => {
    expect(j(200, '<span class="warn"><b>Error:</b> The camera does not have enough processing power to activate this behavior</span>').words).toBe('Error: The camera does not have enough processing power to activate this behavior');
  });
});
