#!/usr/bin/env node
// The `tenant-desk` command: runs the TypeScript sources through tsx (as `npm start` and `npm run serve` do).
import { register } from 'tsx/esm/api';

register();
await import('../main/cli/index.ts');
