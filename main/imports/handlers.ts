// The imports slice's handlers: a users file prepared (checked and split), imported into a tenant as a task, its
// failures read, and the template of a users file.
import type { importsChannels } from '../../preload/contract.js';
import type { SliceHandlers } from '../router.js';
import type { ImportService } from './import-service.js';

export function importsHandlers(d: { imports: ImportService }): SliceHandlers<typeof importsChannels> {
  const { imports } = d;
  return {
    'imports:prepare': (input) => imports.prepare(input),
    'imports:start': (input) => imports.start(input),
    'imports:failures': (input) => imports.failures(input),
    'imports:template': (input) => imports.template(input),
  };
}
