import express from 'express';
import request from 'supertest';
import { serverTiming } from './serverTiming';

function durationOf(header: string | undefined): number {
  const match = /^total;dur=(\d+\.\d{2})$/.exec(header ?? '');
  if (!match) {
    throw new Error(`not a Server-Timing total: ${header}`);
  }
  return Number(match[1]);
}

describe('serverTiming', () => {
  const app = express();
  app.use(serverTiming());
  app.get('/json', async (_req, res) => {
    await new Promise(resolve => setTimeout(resolve, 30));
    res.json({ ok: true });
  });
  app.get('/stream', (_req, res) => {
    res.setHeader('Content-Type', 'text/csv');
    res.write('a,b\n');
    setTimeout(() => res.end('1,2\n'), 50);
  });
  app.get('/status', (_req, res) => {
    res.writeHead(204).end();
  });

  it('times a JSON answer from the request to its headers', async () => {
    const res = await request(app).get('/json').expect(200);
    expect(durationOf(res.headers['server-timing'])).toBeGreaterThanOrEqual(25);
  });

  it('times a streamed answer to its first byte, not its last', async () => {
    const res = await request(app).get('/stream').expect(200);
    expect(res.text).toBe('a,b\n1,2\n');
    expect(durationOf(res.headers['server-timing'])).toBeLessThan(50);
  });

  it('adds the header when a handler writes its head explicitly', async () => {
    const res = await request(app).get('/status').expect(204);
    expect(res.headers['server-timing']).toMatch(/^total;dur=\d+\.\d{2}$/);
  });
});
