// Writes the files size-limit checks for the script tag (package.json "size-limit"):
//   loader.js         threadline.js as served
//   chat-open/        threadline.js + every chunk a visitor has downloaded once the chat is open,
//                     each its own file as served: the browser fetches and gunzips each alone,
//                     and size-limit sums each file's gzip size (not the gzip of them joined)
//   callback-open/    the same for the callback request
//   form-open/        the same for the lead form
//   chat-open-worst-case/  the chat again, on a site with triggers (the trigger engine) and
//                     Telegram ("Continue in Telegram") whose page calls threadline('config', …)
//                     (the checks of its overrides)
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
// The worst case, tracked on its own: the chat opened on a site with triggers and Telegram, by a
// page that also sets its own overrides with threadline('config', …).
const worst = [...new Set([...build.paths.chat, ...build.extras.triggers, ...build.extras.overrides, ...build.extras.messengers])];
const worstDir = join(outDir, 'size', 'chat-open-worst-case');
await mkdir(worstDir);
await writeFile(join(worstDir, 'threadline.js'), build.loader);
for (const file of worst) await writeFile(join(worstDir, file), build.chunks.get(file)!.code);
console.log(`embed: chat open with triggers, Telegram and page overrides = ${worst.length + 1} files (extras: ${Object.entries(build.extras).map(([name, files]) => `${name} ${files.join(' + ')}`).join('; ')})`);
process.exit(failed ? 1 : 0);
