import Link from 'next/link';
import { readJson } from '../../lib/data';

export default async function DocsIndex() {
  const items = await readJson('docs/index.json');
  return <main><h1>docs</h1><pre>{JSON.stringify(items, null, 1)}</pre><Link href="/">home</Link></main>;
}
