import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { ApiError } from './api-error.ts';

/** The files of swagger-ui-dist the docs page loads, with their types; nothing else of the package is served. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

const distDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** The interactive page: Swagger UI from the controller itself (no CDN), reading /api/openapi.json. */
export function docsPageHtml(documentPath: string, assetsPath: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>GridCoop operator API</title>
  <link rel="stylesheet" href="${assetsPath}/swagger-ui.css">
  <link rel="icon" type="image/png" href="${assetsPath}/favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${assetsPath}/swagger-ui-bundle.js"></script>
  <script src="${assetsPath}/swagger-ui-standalone-preset.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      url: ${JSON.stringify(documentPath)},
      dom_id: '#swagger-ui',
      deepLinking: true,
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
      layout: 'StandaloneLayout',
    });
  </script>
</body>
</html>
`;
}

export function sendDocsPage(res: ServerResponse, documentPath: string, assetsPath: string): void {
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(docsPageHtml(documentPath, assetsPath));
}

/** One of the page's static files; any other name is a 404 (no path is ever joined from user input otherwise). */
export async function sendDocsAsset(res: ServerResponse, file: string): Promise<void> {
  const type = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
  if (type === undefined)
    throw new ApiError(404, `no such docs file: ${file}`, [
      { path: 'file', message: `one of ${Object.keys(ASSETS).join(', ')}` },
    ]);
  const body = await readFile(join(distDir, file));
  res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'public, max-age=3600' });
  res.end(body);
}
