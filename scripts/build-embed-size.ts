// Writes the files size-limit checks for the script tag (package.json "size-limit"):
//   loader.js         threadline.js as served
//   chat-open.js      loader + every chunk a visitor has downloaded once the chat is open
//   callback-open.js  the same for the callback request
//   form-open.js      the same for the lead form
// The sets come from the real build's chunk graph (packages/embed/src/build.ts), and
// the callback and form sets must not contain the socket client (SOCKET_MODULES): that fails here.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildEmbed, SOCKET_MODULES, type EmbedPath } from '@threadline/embed/build';

const outDir = 'packages/embed/dist';
const build = await buildEmbed(join(outDir, 'public'));
await mkdir(join(outDir, 'size'), { recursive: true });
await writeFile(join(outDir, 'size', 'loader.js'), build.loader);
let failed = build.unplaced.length > 0;
for (const chunk of build.unplaced) console.error(`embed: the lazy chunk ${chunk} belongs to no download path; place it in LAZY_GROUPS (packages/embed/src/build.ts)`);
for (const path of ['chat', 'callback', 'form'] satisfies EmbedPath[]) {
  const files = build.paths[path];
  const chunks = files.map((file) => build.chunks.get(file)!);
  await writeFile(join(outDir, 'size', `${path}-open.js`), [build.loader, ...chunks.map((chunk) => chunk.code)].join('\n'));
  const socket = chunks.filter((chunk) => chunk.moduleIds.some((id) => SOCKET_MODULES.test(id.replaceAll('\\', '/'))));
  if (path !== 'chat' && socket.length > 0) {
    console.error(`embed: opening the ${path} widget would download the socket client (${socket.map((chunk) => chunk.fileName).join(', ')})`);
    failed = true;
  }
  console.log(`embed: ${path} open = threadline.js + ${files.join(' + ')}`);
}
process.exit(failed ? 1 : 0);
