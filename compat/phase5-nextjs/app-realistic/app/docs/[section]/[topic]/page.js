import { Suspense } from 'react';
import { readJson } from '../../../../lib/data';

// Nested dynamic segments: params for both, from one index file.
export async function generateStaticParams() {
  const sections = await readJson('docs/index.json');
  return sections.flatMap((s) => s.topics.map((topic) => ({ section: s.section, topic })));
}

export const dynamicParams = false;

async function Paragraph({ topic, n }) {
  const doc = await readJson(`docs/${topic}.json`);
  return <p>{doc.paragraphs[n]}</p>;
}

async function Siblings({ section, topic }) {
  const sections = await readJson('docs/index.json');
  const s = sections.find((x) => x.section === section);
  return <aside>{s.topics.filter((t) => t !== topic).join(', ')}</aside>;
}

export default async function Topic({ params }) {
  const { section, topic } = await params;
  const doc = await readJson(`docs/${topic}.json`);
  return (
    <main>
      <h1>{section} / {topic}</h1>
      {doc.paragraphs.map((_, n) => (
        <Suspense key={n} fallback={<p>…</p>}><Paragraph topic={topic} n={n} /></Suspense>
      ))}
      <Suspense fallback={null}><Siblings section={section} topic={topic} /></Suspense>
    </main>
  );
}
