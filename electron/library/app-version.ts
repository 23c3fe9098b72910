/** The name and version written into exported files' metadata. */
import pkg from '../../package.json' with { type: 'json' };

export const APP_NAME: string = pkg.productName ?? 'Restora';
export const APP_VERSION: string = pkg.version;
