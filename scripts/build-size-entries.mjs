// Builds each size-budget entry (packages/*/size/*.ts) with Rolldown (the bundler
// inside Vite 8), minified as a site would ship it, and writes two files:
//   <name>.eager.js – what loads with the page: the entry chunk and every chunk it
//                     imports statically (dynamic imports are fetched later, on use);
//   <name>.full.js  – everything, every lazily loaded chunk included.
// size-limit then checks both against the budgets in package.json.
import { rolldown } from 'rolldown';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const packages = (await readdir('packages')).map((name) => join('packages', name));
for (const pkg of packages) {
  const sizeDir = join(pkg, 'size');
  const entries = await readdir(sizeDir).catch(() => []);
  if (entries.length === 0) continue;
  const outDir = join(pkg, 'dist', 'size');
  await mkdir(outDir, { recursive: true });
  for (const file of entries.filter((name) => name.endsWith('.ts'))) {
    const name = file.replace(/\.ts$/, '');
    const bundle = await rolldown({ input: join(sizeDir, file), platform: 'browser', transform: { target: 'es2022' } });
    const { output } = await bundle.generate({ format: 'es', minify: true });
    await bundle.close();
    const chunks = new Map(output.filter((chunk) => chunk.type === 'chunk').map((chunk) => [chunk.fileName, chunk]));
    const entry = [...chunks.values()].find((chunk) => chunk.isEntry);
    const eager = new Set();
    const visit = (fileName) => {
      if (eager.has(fileName)) return;
      eager.add(fileName);
      for (const imported of chunks.get(fileName)?.imports ?? []) visit(imported);
    };
    visit(entry.fileName);
    await writeFile(join(outDir, `${name}.eager.js`), [...eager].map((fileName) => chunks.get(fileName).code).join('\n'));
    await writeFile(join(outDir, `${name}.full.js`), [...chunks.values()].map((chunk) => chunk.code).join('\n'));
  }
}
