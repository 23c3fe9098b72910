/**
 * The two custom schemes: `restora-app://app/…` serves the built renderer (with
 * the CSP header) and `restora-media://photo/42/thumb` serves images by catalog
 * id. Neither accepts a filesystem path from the renderer.
 */
import { protocol, net } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Broker } from '../broker/broker.js';
import { parseMediaPath, MEDIA_SCHEME } from '../shared/media.js';
import { CONTENT_SECURITY_POLICY } from '../shared/csp.js';
import { toWireError } from '../shared/errors.js';

export const APP_SCHEME = 'restora-app';
export const APP_ORIGIN = `${APP_SCHEME}://app`;

/** Must run before the app is ready. */
export function registerSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

export function handleProtocols(broker: Broker, rendererDir: string): void {
  const files = new Map<string, string>();
  for (const name of fs.readdirSync(rendererDir)) files.set(`/${name}`, path.join(rendererDir, name));

  protocol.handle(APP_SCHEME, async (req) => {
    const url = new URL(req.url);
    const file = url.host === 'app' ? files.get(url.pathname === '/' ? '/index.html' : url.pathname) : undefined;
    if (!file) return new Response('Not found', { status: 404 });
    const body = await fs.promises.readFile(file);
    return new Response(body, {
      headers: { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' },
    });
  });

  protocol.handle(MEDIA_SCHEME, async (req) => {
    const url = new URL(req.url);
    const ref = parseMediaPath(`${url.host}${url.pathname}`);
    if (!ref) return new Response('Bad media reference', { status: 400 });
    try {
      const { path: file, mime } = await broker.resolveMedia(ref);
      const res = await net.fetch(pathToFileURL(file).toString());
      return new Response(res.body, { headers: { 'Content-Type': mime, 'Cache-Control': 'private, max-age=60' } });
    } catch (err) {
      const wire = toWireError(err);
      return new Response(wire.message, { status: wire.code === 'NotFound' ? 404 : 500 });
    }
  });
}
