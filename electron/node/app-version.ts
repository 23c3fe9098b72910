/**
 * The app's name and version, read from package.json: the one place they are
 * written. Bundled into each process at build time, so nothing reads the file
 * at run time.
 */
import pkg from '../../package.json' with { type: 'json' };

export const APP_NAME: string = pkg.productName ?? 'Restora';
export const APP_VERSION: string = pkg.version;
