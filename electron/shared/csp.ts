/**
 * The renderer's Content Security Policy, identical in Electron (protocol
 * response header + meta tag) and browser mode (HTTP header). No inline
 * script or style, no eval, images only from the app or its media protocol.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' restora-media: blob: data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
