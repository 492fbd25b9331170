// Builds each size-budget entry twice with Rolldown (the bundler inside Vite 8),
// minified as a site would ship it:
//   <name>.eager.js – what loads with the page (lazy chunks left out),
//   <name>.full.js  – the same plus every lazily loaded chunk, inlined.
// size-limit then checks both against the budgets in package.json.
import { rolldown } from 'rolldown';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const packages = ['packages/core'];
for (const pkg of packages) {
  const sizeDir = join(pkg, 'size');
  const outDir = join(pkg, 'dist', 'size');
  await mkdir(outDir, { recursive: true });
  for (const file of (await readdir(sizeDir)).filter((name) => name.endsWith('.ts'))) {
    const name = file.replace(/\.ts$/, '');
    for (const variant of ['eager', 'full']) {
      const bundle = await rolldown({
        input: join(sizeDir, file),
        platform: 'browser',
        transform: { target: 'es2022' },
        // Dynamic imports stay external for the eager figure: they are fetched later, on use.
        external: variant === 'eager' ? (id, importer, isResolved) => !isResolved && importer !== undefined && /\/load-[a-z-]+\.ts$/.test(importer) : undefined,
      });
      const { output } = await bundle.generate({ format: 'es', minify: true, codeSplitting: variant === 'eager' });
      if (output.filter((chunk) => chunk.type === 'chunk').length !== 1) throw new Error(`${name}.${variant}: expected one chunk, got ${output.length}`);
      await writeFile(join(outDir, `${name}.${variant}.js`), output[0].code);
      await bundle.close();
    }
  }
}
