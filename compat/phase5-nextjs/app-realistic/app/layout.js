import Link from 'next/link';
import { readJson } from '../lib/data';

export const metadata = { title: 'deka-ipc realistic fixture' };

export default async function RootLayout({ children }) {
  const site = await readJson('site.json');
  return (
    <html lang="en">
      <body>
        <nav>
          <b>{site.name}</b>{' '}
          {site.nav.map((n) => <Link key={n} href={`/${n}`}>{n} </Link>)}
        </nav>
        {children}
      </body>
    </html>
  );
}
