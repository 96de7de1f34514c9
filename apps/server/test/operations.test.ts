import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestServer, uniqueEmail, type TestServer } from './support/index.ts';

describe('operations: health, metrics, OpenAPI, web app, shutdown', () => {
  let s: TestServer;
  let dist: string;
  beforeAll(async () => {
    dist = fs.mkdtempSync(path.join(os.tmpdir(), 'overens-dist-'));
    fs.mkdirSync(path.join(dist, 'assets'));
    fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Överens</title><div id="root"></div>');
    fs.writeFileSync(path.join(dist, 'assets', 'app-abc123.js'), 'console.log("app")');
    s = await startTestServer({ webDistDir: dist });
  });
  afterAll(async () => {
    await s?.close();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  it('GET /api/health → ok with the driver', async () => {
    const res = await api(s.url, 'GET', '/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', db: s.database.kind, database: 'up', redis: 'disabled' });
  });

  it('Referrer-Policy keeps same-origin Origin headers (the CSRF check relies on them)', async () => {
    const res = await api(s.url, 'GET', '/api/health');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('GET /metrics is Prometheus text with request counters', async () => {
    await api(s.url, 'GET', '/api/health');
    const res = await fetch(`${s.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/overens_http_requests_total\{method="GET",route="\/api\/health",status="200"\} \d+/);
    expect(text).toMatch(/overens_process_cpu_seconds_total/);
  });

  it('GET /api/openapi.json documents the routes', async () => {
    const res = await api(s.url, 'GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toMatch(/^3\./);
    for (const [p, m] of [
      ['/api/health', 'get'],
      ['/api/auth/register', 'post'],
      ['/api/auth/login', 'post'],
      ['/api/auth/logout', 'post'],
      ['/api/me', 'get'],
      ['/api/organisations', 'post'],
      ['/api/organisations', 'get'],
      ['/api/agreements', 'post'],
      ['/api/agreements', 'get'],
      ['/api/agreements/{id}', 'get'],
      ['/api/agreements/{id}', 'patch'],
      ['/api/agreements/{id}/members', 'get'],
      ['/api/agreements/{id}/members/{userId}', 'patch'],
      ['/api/agreements/{id}/members/{userId}', 'delete'],
      ['/api/agreements/{id}/invitations', 'post'],
      ['/api/invitations/{token}', 'get'],
      ['/api/invitations/{token}/accept', 'post'],
      ['/api/templates', 'get'],
      ['/api/templates/{id}', 'get'],
      ['/api/organisations/{id}/templates', 'post'],
      ['/api/agreements/{id}/validation', 'get'],
      ['/api/reference/municipalities', 'get'],
      ['/api/reference/regions', 'get'],
    ] as const) {
      expect(doc.paths[p]?.[m], `${m} ${p}`).toBeTruthy();
    }
  });

  it('unknown API paths answer 404 problem+json, never the web app', async () => {
    const res = await api(s.url, 'GET', '/api/nope');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('serves the web app with SPA fallback, hashed assets cached long', async () => {
    const root = await fetch(`${s.url}/`);
    expect(root.status).toBe(200);
    expect(await root.text()).toContain('<div id="root">');
    const deep = await fetch(`${s.url}/agreements/123`);
    expect(deep.status).toBe(200);
    expect(deep.headers.get('content-type')).toMatch(/text\/html/);
    const asset = await fetch(`${s.url}/assets/app-abc123.js`);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    expect(await asset.text()).toContain('console.log');
    expect((await fetch(`${s.url}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${s.url}/../../etc/passwd`)).status).not.toBe(500);
  });
});

describe('startup errors', () => {
  it('a port in use gives a clear error, not a crash', async () => {
    const first = await startTestServer();
    try {
      await expect(startTestServer({ port: first.port })).rejects.toThrow(/already in use/);
    } finally {
      await first.close();
    }
  });
});

describe('graceful shutdown', () => {
  it('a request in flight when SIGTERM-close starts still completes; new connections are refused', async () => {
    const s = await startTestServer();
    const body = JSON.stringify({ email: uniqueEmail(), password: 'a long enough password', name: 'Late' });
    const half = Math.floor(body.length / 2);
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(
        `${s.url}/api/auth/register`,
        { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), origin: s.url } },
        (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, half));
      // The server has the request (headers + half the body) before shutdown begins.
      setTimeout(() => {
        const closing = s.close();
        setTimeout(() => {
          req.end(body.slice(half));
          void closing;
        }, 100);
      }, 200);
    });
    const res = await response;
    expect(res.status).toBe(201);
    expect(JSON.parse(res.text)).toMatchObject({ name: 'Late' });
    await s.close();
    await expect(fetch(`${s.url}/api/health`)).rejects.toThrow();
  });
});
