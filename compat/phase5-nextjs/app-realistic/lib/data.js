// The pages' data: JSON files under data/, read asynchronously at render time (so several
// async components of one page finish in whatever order the reads complete).
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export async function readJson(rel) {
  const file = path.join(process.cwd(), 'data', rel);
  return JSON.parse(await readFile(file, 'utf8'));
}
