// @vitest-environment node
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { lockDataFolder } from '../src/db/data-folder-lock.ts';

test('refuses a second server on a PGlite folder that a live process holds, and takes over a dead one’s lock', async () => {
  const folder = join(await mkdtemp(join(tmpdir(), 'tl-lock-')), 'pglite');
  // A live process that is not us holds the folder (the parent of this test process).
  await writeFile(`${folder}.lock`, String(process.ppid));
  await expect(lockDataFolder(folder)).rejects.toThrow(`another Threadline server (pid ${process.ppid}) is using the data folder`);
  // A lock left by a process that no longer exists is stale.
  await writeFile(`${folder}.lock`, '2147483646');
  const release = await lockDataFolder(folder);
  await release();
});
