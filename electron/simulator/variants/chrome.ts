/** A variant's page chrome: header, menu and tabs in its navigation style, notices and error boxes in its markup. */
import { esc } from '../forms';
import type { VariantPaths } from './paths';
import { fieldDice, type VariantSpec } from './spec';

/** Renders the parts every page of a variant shares. */
export class VariantChrome {
  constructor(
    private readonly v: VariantSpec,
    private readonly paths: VariantPaths,
    private readonly model: string,
  ) {}


  /** One menu entry in this firmware's markup. */
  navItem(text: string, href: string): string {
    const t = esc(text);
    switch (this.v.navElement) {
      case 'onclick':
        return `<button type="button" onclick="location.href='${esc(href)}'">${t}</button>`;
      case 'data-href':
        return `<span class="tab" role="link" data-href="${esc(href)}">${t}</span>`;
      case 'get-form': {
        const u = new URL(href, 'http://cam');
        const hidden = [...u.searchParams].map(([k, x]) => `<input type="hidden" name="${esc(k)}" value="${esc(x)}">`).join('');
        return `<form method="get" action="${esc(u.pathname)}" class="navf">${hidden}<button type="submit">${t}</button></form>`;
      }
      default:
        return `<a href="${esc(href)}">${t}</a>`;
    }
  }

  /** The site menu as this firmware shows it. */
  menu(): string {
    const p = this.paths;
    const n = this.v.navTexts;
    const item = (t: string, h: string) => `<li>${this.navItem(t, h)}</li>`;
    if (this.v.nav === 'flat') {
      return `<div id="menu">${[this.navItem('Live View', '/liveview'), this.navItem(n.general, p.page('general')), this.navItem(n.sources, p.page('sources')), this.navItem(n.handlers, p.page('handlers')), this.navItem(n.analytics, p.page('analytics')), this.navItem('Network', p.page('network')), '<a href="/auth/logout">Log Out</a>'].join(' | ')}</div>`;
    }
    if (this.v.nav === 'nested') {
      return `<ul class="menu">${item('Live View', '/liveview')}<li>System<ul>${item('General', p.page('general'))}${item('Network', p.page('network'))}</ul></li><li>Events<ul>${item(n.sources.replace(/^Event /, ''), p.page('sources'))}${item(n.handlers.replace(/^Event /, ''), p.page('handlers'))}${item('Analytic Configuration', p.page('analytics'))}</ul></li><li><a href="/auth/logout">Log Out</a></li></ul>`;
    }
    return `<div id="menu">${[this.navItem('Live View', '/liveview'), this.navItem('System', p.page('system')), this.navItem('Events', p.page('events')), '<a href="/auth/logout">Log Out</a>'].join(' ')}</div>`;
  }

  /** The tabs of a section page. */
  tabs(section: 'system' | 'events'): string {
    if (this.v.nav !== 'sections') return '';
    const p = this.paths;
    const list: [string, string][] = section === 'system' ? [['General', p.page('general')], ['Network', p.page('network')]] : [['Sources', p.page('sources')], ['Handlers', p.page('handlers')], ['Analytic Configuration', p.page('analytics')]];
    return `<div class="tabs" role="tablist">${list.map(([t, h]) => this.navItem(t, h)).join(' ')}</div>`;
  }

  /** The live view page's menu part (or only a Setup link). */
  liveviewNav(): string {
    return this.v.liveviewMenu ? this.menu() : `<p><a href="${esc(this.paths.page('home'))}">Setup</a></p>`;
  }

  /** A whole page: header, menu, section tabs, content. */
  chrome(title: string, body: string, section?: 'system' | 'events'): string {
    const search = this.v.headerSearch ? `<form method="get" action="/search" class="search"><input type="search" name="q" aria-label="Search help"><button type="submit">Go</button></form>` : '';
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sarix&trade; ${esc(this.model)} - ${esc(title)}</title></head>
<body><div id="header"><span>Sarix&trade;</span> ${esc(this.model)} ${search}</div>${this.menu()}${section ? this.tabs(section) : ''}
<div id="content"><h1>${esc(title)}</h1>
${body}
</div><div id="footer">Copyright &copy; 2012-2019, Pelco</div></body></html>`;
  }

  /** A refusal in this firmware's markup. */
  errorBox(text: string): string {
    const t = esc(text);
    switch (this.v.error) {
      case 'p-msg-err':
        return `<p class="msg msg-err">${t}</p>`;
      case 'span-warn':
        return `<span class="warn"><b>Error:</b> ${t}</span>`;
      case 'bootstrap':
        return `<div class="alert alert-danger">${t}</div>`;
      case 'font-red':
        return `<font color="red">${t}</font>`;
      case 'ul-errors':
        return `<ul class="errors"><li>${t}</li></ul>`;
      case 'div-alert':
        return `<div class="error" role="alert">${t}</div>`;
      default:
        return `<div class="errmsg">${t}</div>`;
    }
  }

  /** A success notice. */
  notice(text: string): string {
    const d = fieldDice(this.v, 'notice');
    return d.pick([`<div class="notice success">${esc(text)}</div>`, `<p class="msg msg-ok">${esc(text)}</p>`, `<div role="status">${esc(text)}</div>`]);
  }
}
