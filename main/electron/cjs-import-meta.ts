// Injected into the CommonJS Electron bundle: what the ESM sources read as import.meta.url.
import { pathToFileURL } from 'node:url';

export const bundleImportMetaUrl = pathToFileURL(__filename).href;
