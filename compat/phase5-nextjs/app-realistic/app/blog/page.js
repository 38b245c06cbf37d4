import Link from 'next/link';
import { readJson } from '../../lib/data';

export default async function BlogIndex() {
  const items = await readJson('blog/index.json');
  return <main><h1>blog</h1><pre>{JSON.stringify(items, null, 1)}</pre><Link href="/">home</Link></main>;
}
