import { describe, expect, it } from 'vitest';
import { WebForm } from './web-form';

const page = `<html><body>
<form method="get" action="/search"><input name="q"></form>
<form method="post" action="save">
  <input type="hidden" name="tok" value="T1">
  <label for="a">  SMTP
     Server </label><input id="a" name="zz1" value="old.lan">
  <input type="checkbox" id="b" name="zz2" value="on" checked><label for="b">Show Overlay</label>
  <input type="checkbox" id="c" name="zz3" value="1"><label for="c">Beep</label>
  <label>Mode <select name="zz4"><option value="o1">Fast</option><option value="o2" selected>Slow</option></select></label>
  <label for="t">Message</label><textarea id="t" name="zz5">
line1
line2</textarea>
  <fieldset><legend>Sources</legend>
    <input type="checkbox" id="s1" name="src" value="A1" checked><label for="s1">A1</label>
    <input type="checkbox" id="s2" name="src" value="B2"><label for="s2">B2</label>
  </fieldset>
  <input name="off" value="x" disabled>
  <button type="submit" name="act" value="save">Save</button>
</form></body></html>`;

describe('WebForm', () => {
  const form = WebForm.parse(page, 'http://cam/setup/x', (f) => !!f.find(/smtp/i))!;

  it('without a picker takes the first form with visible fields', () => {
    expect(WebForm.parse(page, 'http://cam/setup/x')?.action).toBe('http://cam/search');
    expect(WebForm.parseAll(page, 'http://cam/setup/x')).toHaveLength(2);
  });

  it('picks the form that matches and resolves its action', () => {
    expect(form.action).toBe('http://cam/setup/save');
    expect(form.method).toBe('POST');
  });

  it('finds fields by label case- and whitespace-insensitively (label[for], wrapping label, legend groups)', () => {
    expect(form.find(/^smtp server$/i)?.value).toBe('old.lan');
    expect(form.find(/mode/i)?.options.map((o) => o.text)).toEqual(['Fast', 'Slow']);
    expect(form.find(/mode/i)?.value).toBe('o2');
    expect(form.find(/message/i)?.value).toBe('line1\nline2');
    expect(form.group(/^sources$/i).map((c) => [c.label, c.checked])).toEqual([
      ['A1', true],
      ['B2', false],
    ]);
  });

  it('posts back every field in document order, unchanged, with unchecked boxes and disabled fields omitted', () => {
    expect(form.edit().entries()).toEqual([
      ['tok', 'T1'],
      ['zz1', 'old.lan'],
      ['zz2', 'on'],
      ['zz4', 'o2'],
      ['zz5', 'line1\nline2'],
      ['src', 'A1'],
    ]);
    expect(form.edit().hasChanges()).toBe(false);
  });

  it('changes only what is intended', () => {
    const e = form.edit();
    e.setValue(form.find(/smtp/i)!, '10.0.0.5');
    e.selectByText(form.find(/mode/i)!, 'fast');
    e.setChecked(form.find(/overlay/i)!, false);
    e.setChecked(form.find(/beep/i)!, true);
    for (const c of form.group(/sources/i)) e.setChecked(c, c.label === 'B2');
    expect(e.hasChanges()).toBe(true);
    expect(new URLSearchParams(e.body(form.submitButton(/save/i))).toString()).toBe('tok=T1&zz1=10.0.0.5&zz3=1&zz4=o1&zz5=line1%0Aline2&src=B2&act=save');
  });

  it('refuses choices the form does not offer', () => {
    expect(() => form.edit().selectByText(form.find(/mode/i)!, 'Medium')).toThrow(/no choice/);
    expect(() => form.edit().setValue(form.find(/overlay/i)!, 'x')).toThrow(/checkbox/);
  });
});
