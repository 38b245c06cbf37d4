// ESM entry for compat/common: the same harness object, loaded through require.
import { createRequire } from 'module';

const require = createRequire(import.meta.url);
const common = require('./index.js');

export const {
  mustCall,
  mustCallAtLeast,
  mustNotCall,
  mustSucceed,
  expectsError,
  matchError,
  errorMatcher,
  skip,
  isAlive,
  fixtures,
  fixturesDir,
  projectRoot,
} = common;

export default common;
