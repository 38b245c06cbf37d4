import { NextResponse } from 'next/server';

// Next 16's middleware (the `proxy` file convention): old blog URLs are rewritten, and every
// matched response gets a header.
export function proxy(request) {
  const { pathname } = request.nextUrl;
  if (pathname.startsWith('/old-blog/')) {
    return NextResponse.rewrite(new URL(pathname.replace('/old-blog/', '/blog/'), request.url));
  }
  const res = NextResponse.next();
  res.headers.set('x-fixture', 'realistic');
  return res;
}

export const config = { matcher: ['/old-blog/:path*', '/blog/:path*', '/shop/:path*'] };
