// repro:next's comparison on a recorded webpack `next build` (see test/repro-next-helpers.ts).
import t from 'tap';
import { suite } from './repro-next-helpers';

suite(t, 'webpack', 'webpack-build.json.gz');
