import { readJson } from '../../../lib/data';

// Dynamic: answers per request from the query string, never prerendered.
export async function GET(request) {
  const q = (new URL(request.url).searchParams.get('q') || '').toLowerCase();
  const posts = await readJson('blog/index.json');
  return Response.json(posts.filter((p) => p.title.toLowerCase().includes(q)).map((p) => p.slug));
}
