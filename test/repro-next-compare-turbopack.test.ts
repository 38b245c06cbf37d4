// repro:next's comparison on a recorded Turbopack `next build` (see test/repro-next-helpers.ts).
import t from 'tap';
import { suite } from './repro-next-helpers';

suite(t, 'turbopack', 'turbopack-build.json.gz');
