/**
 * What every observer response carries, and the checks every request passes: a strict
 * Content-Security-Policy, an allowed Host (against DNS rebinding), and for actions a
 * same-origin request carrying the token.
 *
 * @module
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The Content-Security-Policy of every response: only the observer's own script, style and
 * API; no inline script, no frames, no forms, no other origin.
 * @since 0.1.0
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** @internal the headers of every response */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
});

/** @internal the Host header's name without its port, lower-cased ('' when missing) */
export function hostName(req: IncomingMessage): string {
  const host = (req.headers.host ?? '').toLowerCase();
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end < 0 ? host : host.slice(0, end + 1);
  }
  const colon = host.indexOf(':');
  return colon < 0 ? host : host.slice(0, colon);
}

/** Why an action request was refused. */
export type ActionRefusal = 'disabled' | 'cross_origin' | 'bad_token';

/** @internal checks an action request: same origin, and the token in `x-joerl-token` */
export function checkAction(req: IncomingMessage, enabled: boolean, token: string): ActionRefusal | null {
  if (!enabled) return 'disabled';
  const origin = req.headers.origin;
  const site = req.headers['sec-fetch-site'];
  // A browser sends Origin on every POST; a cross-site one must not act (CSRF).
  if (origin !== undefined && origin !== `http://${req.headers.host ?? ''}`) return 'cross_origin';
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return 'cross_origin';
  const given = req.headers['x-joerl-token'];
  if (typeof given !== 'string' || !sameText(given, token)) return 'bad_token';
  return null;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
