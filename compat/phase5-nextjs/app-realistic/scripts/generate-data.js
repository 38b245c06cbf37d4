// Writes data/: the JSON files the fixture's pages read at build time. Run once by hand
// (node scripts/generate-data.js); its output is committed. Sizes vary on purpose, so that
// async components reading them finish in an order that depends on the disk and the scheduler.
'use strict';
const fs = require('fs');
const path = require('path');

const DATA = path.join(__dirname, '..', 'data');
const words = 'ipc channel frame socket worker page route build render stream json message queue handle pipe'.split(' ');
// A fixed pseudo-random sequence: the same files on every run of this script.
let seed = 15;
const rand = (n) => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
};
const text = (n) => Array.from({ length: n }, () => words[rand(words.length)]).join(' ');
const write = (rel, value) => fs.writeFileSync(path.join(DATA, rel), JSON.stringify(value, null, 2) + '\n');

const posts = Array.from({ length: 20 }, (_, i) => `post-${String(i + 1).padStart(2, '0')}`);
write('blog/index.json', posts.map((slug, i) => ({ slug, title: `Post ${i + 1}: ${text(3)}` })));
posts.forEach((slug, i) => {
  write(`blog/${slug}.json`, {
    slug, title: `Post ${i + 1}`, body: text(40 + rand(400)),
    comments: Array.from({ length: rand(6) }, (_, k) => ({ id: k + 1, author: `reader-${rand(50)}`, text: text(5 + rand(30)) })),
    related: [posts[(i + 3) % posts.length], posts[(i + 7) % posts.length]],
  });
});

const sections = { guide: 5, api: 5, internals: 5 };
write('docs/index.json', Object.entries(sections).map(([section, n]) => ({
  section, topics: Array.from({ length: n }, (_, k) => `${section}-topic-${k + 1}`),
})));
for (const [section, n] of Object.entries(sections)) {
  for (let k = 1; k <= n; k++) {
    write(`docs/${section}-topic-${k}.json`, { section, topic: `${section}-topic-${k}`, paragraphs: Array.from({ length: 1 + rand(5) }, () => text(20 + rand(120))) });
  }
}

const products = Array.from({ length: 12 }, (_, i) => ({ id: String(100 + i), name: `Item ${i + 1}`, price: 5 + rand(200) }));
write('shop/index.json', products);
for (const p of products) {
  write(`shop/${p.id}.json`, { ...p, description: text(30 + rand(200)), stock: rand(40), reviews: Array.from({ length: rand(4) }, () => text(10 + rand(40))) });
}
write('site.json', { name: 'deka-ipc realistic fixture', nav: ['blog', 'docs', 'shop'] });
