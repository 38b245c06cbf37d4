import { readJson } from '../../../lib/data';

// Prerendered at build time like a page (a static route handler).
export const dynamic = 'force-static';

export async function GET() {
  const [posts, docs, shop] = await Promise.all([
    readJson('blog/index.json'), readJson('docs/index.json'), readJson('shop/index.json'),
  ]);
  return Response.json({ posts: posts.length, topics: docs.reduce((n, s) => n + s.topics.length, 0), products: shop.length });
}
