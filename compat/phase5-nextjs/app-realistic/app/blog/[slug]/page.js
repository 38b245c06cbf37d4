import { Suspense } from 'react';
import Link from 'next/link';
import { readJson } from '../../../lib/data';

export async function generateStaticParams() {
  const posts = await readJson('blog/index.json');
  return posts.map((p) => ({ slug: p.slug }));
}

export const dynamicParams = false;

// Two async siblings under their own Suspense boundaries: each reads files of its own, and
// the one that finishes first is streamed first.
async function Comments({ slug }) {
  const post = await readJson(`blog/${slug}.json`);
  if (!post.comments.length) return <p>No comments.</p>;
  return <ol>{post.comments.map((c) => <li key={c.id}><b>{c.author}</b> {c.text}</li>)}</ol>;
}

async function Related({ slugs }) {
  const posts = await Promise.all(slugs.map((s) => readJson(`blog/${s}.json`)));
  return <ul>{posts.map((p) => <li key={p.slug}><Link href={`/blog/${p.slug}`}>{p.title}</Link> ({p.body.length} chars)</li>)}</ul>;
}

export default async function Post({ params }) {
  const { slug } = await params;
  const post = await readJson(`blog/${slug}.json`);
  return (
    <article>
      <h1>{post.title}</h1>
      <p>{post.body}</p>
      <Suspense fallback={<p>loading related…</p>}><Related slugs={post.related} /></Suspense>
      <Suspense fallback={<p>loading comments…</p>}><Comments slug={slug} /></Suspense>
    </article>
  );
}
