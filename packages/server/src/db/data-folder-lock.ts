import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite is one process's database: a second server on the same folder would
 * work on its own copy and lose writes. A lock file with the owner's PID beside
 * the folder refuses that; a lock left by a process that died is taken over.
 * Resolves with the function that releases the lock.
 */
export async function lockDataFolder(dataDir: string): Promise<() => Promise<void>> {
  const lockFile = `${dataDir.replace(/\/+$/, '')}.lock`;
  await mkdir(dirname(lockFile), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockFile, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number((await readFile(lockFile, 'utf8').catch(() => '')).trim());
      if (owner && owner !== process.pid && isRunning(owner)) {
        throw new Error(`another Threadline server (pid ${owner}) is using the data folder ${dataDir}; stop it, or set THREADLINE_DATA to another folder`, { cause: error });
      }
      await rm(lockFile, { force: true });
    }
  }
  throw new Error(`could not lock the data folder ${dataDir}`);
}
