// Writes the files size-limit checks for the script tag (package.json "size-limit"):
//   loader.js         threadline.js as served
//   chat-open/        threadline.js + every chunk a visitor has downloaded once the chat is open,
//                     each its own file as served: the browser fetches and gunzips each alone,
//                     and size-limit sums each file's gzip size (not the gzip of them joined)
//   callback-open/    the same for the callback request
//   form-open/        the same for the lead form
// The sets come from the real build's chunk graph (packages/embed/src/build.ts), and
// the callback and form sets must not contain the socket client or session (SOCKET_MODULES): that fails here.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildEmbed, SOCKET_MODULES, type EmbedPath } from '@threadline/embed/build';

const outDir = 'packages/embed/dist';
const build = await buildEmbed(join(outDir, 'public'));
await rm(join(outDir, 'size'), { recursive: true, force: true });
await mkdir(join(outDir, 'size'), { recursive: true });
await writeFile(join(outDir, 'size', 'loader.js'), build.loader);
let failed = build.unplaced.length > 0;
for (const id of build.unplaced) console.error(`embed: the lazily imported ${id} belongs to no download path; place it in LAZY_GROUPS (packages/embed/src/build.ts)`);
for (const path of ['chat', 'callback', 'form'] satisfies EmbedPath[]) {
  const files = build.paths[path];
  const chunks = files.map((file) => build.chunks.get(file)!);
  const dir = join(outDir, 'size', `${path}-open`);
  await mkdir(dir);
  await writeFile(join(dir, 'threadline.js'), build.loader);
  for (const chunk of chunks) await writeFile(join(dir, chunk.fileName), chunk.code);
  const socket = chunks.filter((chunk) => chunk.moduleIds.some((id) => SOCKET_MODULES.test(id.replaceAll('\\', '/'))));
  if (path !== 'chat' && socket.length > 0) {
    console.error(`embed: opening the ${path} widget would download the socket client (${socket.map((chunk) => chunk.fileName).join(', ')})`);
    failed = true;
  }
  console.log(`embed: ${path} open = ${files.length + 1} files: threadline.js + ${files.join(' + ')}`);
}
process.exit(failed ? 1 : 0);
