import { readJson } from '../../../lib/data';

export async function generateStaticParams() {
  const products = await readJson('shop/index.json');
  return products.map((p) => ({ id: p.id }));
}

export const dynamicParams = false;

export async function generateMetadata({ params }) {
  const { id } = await params;
  const p = await readJson(`shop/${id}.json`);
  return { title: `${p.name} — ${p.price} €` };
}

export default async function Product({ params }) {
  const { id } = await params;
  const p = await readJson(`shop/${id}.json`);
  return (
    <main>
      <h1>{p.name}</h1>
      <p>{p.description}</p>
      <p>{p.stock ? `${p.stock} in stock` : 'sold out'}</p>
      <ul>{p.reviews.map((r, i) => <li key={i}>{r}</li>)}</ul>
    </main>
  );
}
