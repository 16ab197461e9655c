/**
 * Prepares the HTML body of a camera mail for the sandboxed frame (html-frame.tsx). Three layers, each enough on
 * its own against scripts: (1) the frame's sandbox has no allow-scripts, allow-same-origin, allow-popups,
 * allow-forms or allow-top-navigation; (2) the document carries a Content-Security-Policy meta of default-src
 * 'none' with images from data: only, so nothing can be fetched; (3) this pass, on an inert document from
 * DOMParser (no scripts run, nothing loads), removes scripts, frames, objects, event handlers, meta refreshes,
 * <base> and <link>, every URL that is not a data: URL (counting the remote ones, so the technician sees "3 remote
 * images blocked"), and turns links into plain text with the address as a tooltip, so a click navigates nowhere.
 * Layer 3 also keeps the console free of CSP reports for every blocked image.
 */

/** The policy inside the frame: nothing but inline styles and data: images and fonts. */
export const FRAME_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:";

/** What the preparation did. */
export interface PreparedHtml {
  /** The document for the frame's srcdoc. */
  html: string;
  /** Remote resources (http, https, protocol-relative) that were blocked. */
  remoteBlocked: number;
  /** Scripts, event handlers, frames and objects removed. */
  activeRemoved: number;
}

const REMOVE = 'script, iframe, frame, frameset, object, embed, applet, base, link, meta, noscript, portal, template, set, animate';
const URL_ATTRS = ['src', 'srcset', 'href', 'xlink:href', 'background', 'poster', 'data', 'action', 'formaction', 'lowsrc', 'dynsrc', 'longdesc', 'cite', 'ping', 'manifest', 'codebase', 'archive', 'profile', 'usemap'];
const REMOTE = /^\s*(?:https?:)?\/\//i;
const CSS_URL = /url\(\s*(['"]?)(.*?)\1\s*\)/gi;
const CSS_IMPORT = /@import\s+[^;]+;?/gi;

function isRemote(value: string): boolean {
  return REMOTE.test(value) || /\bhttps?:\/\//i.test(value);
}

/** Rewrites url(...) in CSS: data: URLs stay, everything else becomes none; returns the CSS and the remote count. */
export function neutraliseCss(css: string): { css: string; remote: number } {
  let remote = 0;
  const out = css
    .replace(CSS_IMPORT, (m) => {
      if (isRemote(m)) remote++;
      return '';
    })
    .replace(CSS_URL, (_m, _q: string, url: string) => {
      if (/^\s*data:/i.test(url)) return `url("${url.replace(/"/g, '%22')}")`;
      if (isRemote(url)) remote++;
      return 'none';
    })
    // Old IE expression() and behaviours run script; Chromium ignores them, but they have no place here.
    .replace(/expression\s*\(/gi, 'x(')
    .replace(/behavior\s*:/gi, 'x:');
  return { css: out, remote };
}

/** Makes an e-mail's HTML safe to show in the sandboxed frame and counts what was blocked. */
export function prepareEmailHtml(source: string): PreparedHtml {
  const doc = new DOMParser().parseFromString(source, 'text/html');
  let remoteBlocked = 0;
  let activeRemoved = 0;
  for (const el of Array.from(doc.querySelectorAll(REMOVE))) {
    if (el.tagName === 'LINK' && isRemote(el.getAttribute('href') ?? '')) remoteBlocked++;
    if (/^(SCRIPT|IFRAME|FRAME|FRAMESET|OBJECT|EMBED|APPLET|PORTAL)$/.test(el.tagName)) {
      activeRemoved++;
      const src = el.getAttribute('src') ?? el.getAttribute('data') ?? '';
      if (isRemote(src)) remoteBlocked++;
    }
    el.remove();
  }
  for (const el of Array.from(doc.querySelectorAll('*'))) {
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) {
        el.removeAttribute(attr.name);
        activeRemoved++;
        continue;
      }
      if (name === 'style') {
        const r = neutraliseCss(attr.value);
        remoteBlocked += r.remote;
        el.setAttribute('style', r.css);
        continue;
      }
      if (!URL_ATTRS.includes(name)) continue;
      const value = attr.value;
      if (el.tagName === 'A' && name === 'href') {
        // A link shows its address on hover and goes nowhere (no navigation, no javascript:).
        el.removeAttribute(attr.name);
        if (!/^\s*javascript:/i.test(value)) el.setAttribute('title', value.slice(0, 500));
        else activeRemoved++;
        continue;
      }
      if ((name === 'src' || name === 'href' || name === 'xlink:href') && /^\s*data:image\//i.test(value)) continue;
      if (isRemote(value)) remoteBlocked += name === 'srcset' ? Math.max(1, value.split(',').length) : 1;
      el.removeAttribute(attr.name);
    }
    if (el.tagName === 'A') el.removeAttribute('target');
  }
  for (const style of Array.from(doc.querySelectorAll('style'))) {
    const r = neutraliseCss(style.textContent ?? '');
    remoteBlocked += r.remote;
    style.textContent = r.css;
  }
  const head = doc.head ?? doc.documentElement.insertBefore(doc.createElement('head'), doc.body);
  const base = doc.createElement('style');
  base.textContent = 'html{color-scheme:light}body{margin:12px;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#fff;color:#000;overflow-wrap:anywhere}img{max-width:100%;height:auto}';
  head.insertBefore(base, head.firstChild);
  const referrer = doc.createElement('meta');
  referrer.setAttribute('name', 'referrer');
  referrer.setAttribute('content', 'no-referrer');
  head.insertBefore(referrer, head.firstChild);
  const csp = doc.createElement('meta');
  csp.setAttribute('http-equiv', 'Content-Security-Policy');
  csp.setAttribute('content', FRAME_CSP);
  head.insertBefore(csp, head.firstChild);
  return { html: `<!doctype html>${doc.documentElement.outerHTML}`, remoteBlocked, activeRemoved };
}
