/**
 * Content-Security-Policy of the renderer. Mantine injects its CSS variables in <style> elements and style
 * attributes, so style-src needs 'unsafe-inline'; scripts stay 'self' only (no inline, no eval).
 * img-src allows data: and blob: for snapshot thumbnails built from relay messages.
 */
export function webCsp(): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self' ws://127.0.0.1:*",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
