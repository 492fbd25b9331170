// `npm start`: serves the examples on one port (PORT, default 8787). The
// reference server (issue: server) will take this over and add the inbox and API.
import { createServer } from 'vite';

const port = Number(process.env.PORT ?? 8787);
const server = await createServer({
  root: 'examples',
  server: { port, strictPort: true, host: process.env.HOST ?? '127.0.0.1' },
  logLevel: 'warn',
});
await server.listen();
const base = `http://${process.env.HOST ?? '127.0.0.1'}:${port}`;
console.log(`Threadline examples are running:
  ${base}/                  the example index
  ${base}/headless/         a custom UI on @threadline/core with the in-memory backend
Press Ctrl+C to stop.`);
