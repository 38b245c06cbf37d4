import Link from 'next/link';
import { readJson } from '../../lib/data';

export default async function ShopIndex() {
  const items = await readJson('shop/index.json');
  return <main><h1>shop</h1><pre>{JSON.stringify(items, null, 1)}</pre><Link href="/">home</Link></main>;
}
