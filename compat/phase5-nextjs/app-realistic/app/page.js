import Link from 'next/link';
import { readJson } from '../lib/data';

export default async function Home() {
  const [posts, docs, shop] = await Promise.all([
    readJson('blog/index.json'), readJson('docs/index.json'), readJson('shop/index.json'),
  ]);
  return (
    <main>
      <h1>Index</h1>
      <ul>{posts.map((p) => <li key={p.slug}><Link href={`/blog/${p.slug}`}>{p.title}</Link></li>)}</ul>
      <ul>{docs.flatMap((s) => s.topics.map((t) => <li key={t}><Link href={`/docs/${s.section}/${t}`}>{t}</Link></li>))}</ul>
      <ul>{shop.map((p) => <li key={p.id}><Link href={`/shop/${p.id}`}>{p.name}</Link></li>)}</ul>
    </main>
  );
}
