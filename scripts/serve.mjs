// A small static server for the page, the tests and the benchmarks: 127.0.0.1 only, correct
// MIME types (.wasm as application/wasm), no caching, and optional extra headers (the CSP test
// serves a page with a strict Content-Security-Policy). `node scripts/serve.mjs [dir]`.
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { root } from "./lib.mjs";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".py": "text/plain; charset=utf-8",
  ".zip": "application/zip",
  ".txt": "text/plain; charset=utf-8",
  ".ico": "image/x-icon",
};

/**
 * Serve `dir` on 127.0.0.1:`port` (0 picks a free port). `headers(path)` may add response
 * headers per request path. Resolves to { server, port, url }.
 */
export function serve({ dir = root, port = 0, headers = () => ({}) } = {}) {
  const base = resolve(dir);
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    let path = normalize(join(base, decodeURIComponent(url.pathname)));
    if (!path.startsWith(base)) {
      res.writeHead(403).end("forbidden");
      return;
    }
    if (existsSync(path) && statSync(path).isDirectory()) path = join(path, "index.html");
    if (!existsSync(path)) {
      res.writeHead(404, { "content-type": "text/plain" }).end(`not found: ${url.pathname}`);
      return;
    }
    res.writeHead(200, {
      "content-type": TYPES[extname(path)] ?? "application/octet-stream",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      // Like most static hosts: a blog on another origin may load the widget's module.
      "access-control-allow-origin": "*",
      ...headers(url.pathname),
    });
    createReadStream(path).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => {
      const p = server.address().port;
      ok({ server, port: p, url: `http://127.0.0.1:${p}` });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 8080);
  const dir = process.argv[2] ?? root;
  try {
    const { url } = await serve({ dir, port });
    console.log(`\n✓ serving ${dir} at ${url}/ (Ctrl-C stops)`);
  } catch (e) {
    console.error(
      `✗ cannot serve on 127.0.0.1:${port}: ${e.code === "EADDRINUSE" ? "the port is in use; set PORT to another one" : e.message}`,
    );
    process.exit(1);
  }
}
