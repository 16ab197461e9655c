/**
 * The classic (non-variant) web UI's routes of a simulated camera: the login page and the /setup/ pages with
 * their form-token check (a stale token is refused with 403 and the page again, as the camera does; docs/camera.md
 * §3). The pages themselves are rendered by SimPages (pages.ts); this file only routes and answers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { classicDropped, type DroppedFields } from './dropped';
import { esc, tokenName, type FormVariant } from './forms';
import { drain, readBody, redirect, sendHtml, tooLarge } from './http-util';
import { layout, type SimPages, type PageResult } from './pages';
import type { WebSession } from './web-sessions';

/** What the classic setup routes need of their camera. */
export interface ClassicUiContext {
  model: string;
  formVariant: FormVariant;
  pages: SimPages;
  /** The names of the event sources now (the dropped-field check needs them). */
  sourceNames: () => string[];
  /** Records a POST that left out a field its page rendered. */
  dropped: (d: DroppedFields) => void;
  /** Reboots the camera (the Reboot button). */
  restart: () => void;
}

/** The page shown again, with an error, when a POST to `path` carries a missing or stale form token. */
const gets403: Record<string, (p: SimPages, t: string, q: URLSearchParams) => PageResult> = {
  '/setup/system/general': (p, t) => p.general(t),
  '/setup/system/general/reboot': (p, t) => p.general(t),
  '/setup/events/sources/save': (p, t) => p.sources(t),
  '/setup/events/sources/delete': (p, t) => p.sources(t),
  '/setup/events/handlers/save': (p, t) => p.handlers(t),
  '/setup/events/handlers/delete': (p, t) => p.handlers(t),
  '/setup/events/analytics': (p, t) => p.analytics(t),
  '/setup/events/analytics/behavior': (p, t, q) => p.behaviour(t, p.behaviourParam(q)),
  '/setup/users/save': (p, t) => p.users(t),
  '/setup/users/delete': (p, t) => p.users(t),
};

function injectError(html: string, error: string): string {
  return html.replace('<div id="content">', `<div id="content"><div class="error" role="alert">${esc(error)}</div>`);
}

/** The camera's login page (with the failure notice after a wrong login). */
export function loginPage(model: string, failed: boolean): string {
  return layout(
    { model },
    'Login',
    `${failed ? '<div class="error" role="alert">Invalid username or password.</div>' : ''}<form method="post" action="/auth/validate">
<div class="row"><label for="username">Username</label><input id="username" name="username" type="text"></div>
<div class="row"><label for="password">Password</label><input id="password" name="password" type="password"></div>
<button type="submit">Log In</button></form>`,
  );
}

function getPage(ctx: ClassicUiContext, p: string, t: string, q: URLSearchParams): PageResult | undefined {
  const P = ctx.pages;
  const gets: Record<string, () => PageResult> = {
    '/setup/system/general': () => P.general(t),
    '/setup/events/sources': () => P.sources(t),
    '/setup/events/sources/new': () => P.sourceForm(t, null),
    '/setup/events/sources/edit': () => P.sourceForm(t, P.editParam(q) ?? ''),
    '/setup/events/handlers': () => P.handlers(t),
    '/setup/events/handlers/new': () => P.handlerForm(t, null),
    '/setup/events/handlers/edit': () => P.handlerForm(t, P.editParam(q) ?? ''),
    '/setup/events/analytics': () => P.analytics(t),
    '/setup/events/analytics/behavior': () => P.behaviour(t, P.behaviourParam(q)),
    '/setup/users': () => P.users(t),
    '/setup/users/new': () => P.userForm(t, null),
    '/setup/users/edit': () => P.userForm(t, P.editParam(q) ?? ''),
    '/setup/system/general/reboot': () => ({ status: 200, html: layout(ctx, 'Reboot', `<form method="post" action="/setup/system/general/reboot"><input type="hidden" name="${tokenName(ctx.formVariant)}" value="${esc(t)}"><button type="submit">Reboot Camera</button></form>`) }),
    '/setup/network/ssh': () => ({ status: 200, html: layout(ctx, 'SSH', '<p>SSH is disabled.</p>') }),
    '/setup/streams/custom': () => ({ status: 200, html: layout(ctx, 'Custom Streams', '<p>Stream 1: H.264 1920x1080 30 fps</p>') }),
  };
  return gets[p]?.();
}

function postPage(ctx: ClassicUiContext, p: string, form: URLSearchParams, s: WebSession, q: URLSearchParams): PageResult | undefined {
  const P = ctx.pages;
  const t = s.formToken;
  const posts: Record<string, () => PageResult> = {
    '/setup/system/general': () => P.saveGeneral(form, t),
    '/setup/system/general/reboot': () => {
      setImmediate(() => ctx.restart());
      return { status: 200, html: layout(ctx, 'Reboot', '<p class="notice" role="status">The camera is rebooting. Log in again in a moment.</p>') };
    },
    '/setup/events/sources/save': () => P.saveSource(form, t),
    '/setup/events/sources/delete': () => P.deleteSource(form, t),
    '/setup/events/handlers/save': () => P.saveHandler(form, t),
    '/setup/events/handlers/delete': () => P.deleteHandler(form, t),
    '/setup/events/analytics': () => P.saveProfile(form, t),
    '/setup/events/analytics/behavior': () => P.saveBehaviour(form, t, P.behaviourParam(q)),
    '/setup/users/save': () => P.saveUser(form, t),
    '/setup/users/delete': () => P.deleteUser(form, t, s.user),
  };
  const fn = posts[p];
  if (!fn) return undefined;
  if (form.get(tokenName(ctx.formVariant)) === t) return fn();
  // Missing or stale token: refuse, show the page again with a fresh token.
  const page = (gets403[p] ?? ((pg: SimPages) => pg.general(t, undefined)))(P, t, q);
  return { status: 403, html: injectError(page.html ?? '', 'The form has expired. Reload the page and try again.') };
}

/** Answers a request under /setup/ of the classic UI for a logged-in session `s` (undefined: back to the login). */
export async function serveClassicSetup(ctx: ClassicUiContext, req: IncomingMessage, res: ServerResponse, url: URL, s: WebSession | undefined): Promise<void> {
  if (!s) {
    await drain(req);
    return redirect(res, '/login');
  }
  const method = req.method ?? 'GET';
  const p = url.pathname.replace(/\/+$/, '');
  let out: PageResult | undefined;
  if (method === 'GET') {
    out = getPage(ctx, p, s.formToken, url.searchParams);
  } else if (method === 'POST') {
    const body = await readBody(req);
    if (body === undefined) return tooLarge(res);
    const form = new URLSearchParams(body);
    const dropped = classicDropped(ctx.formVariant, p, form, ctx.sourceNames());
    if (dropped) ctx.dropped(dropped);
    out = postPage(ctx, p, form, s, url.searchParams);
  } else {
    await drain(req);
    res.writeHead(405, { Allow: 'GET, POST', 'Content-Type': 'text/plain' });
    res.end('Method not allowed.');
    return;
  }
  if (!out) {
    res.writeHead(404, { 'Content-Type': 'text/html' });
    res.end(layout(ctx, 'Not Found', '<p>This page does not exist on this camera.</p>'));
    return;
  }
  if (out.location) return redirect(res, out.location);
  sendHtml(res, out.status, out.html ?? '');
}
