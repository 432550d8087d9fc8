import compression from 'compression';
import express from 'express';
import { Writable } from 'node:stream';
import request from 'supertest';
import { IdentityExportRow } from '../service/IdentityService';
import { writeExportCsv } from './writeExportCsv';

const HEADER =
  'user_ref,name,display_name,email,source,flags,managed_by_location,origin_location,group_ref,membership,path\r\n';

function row(
  n: number,
  extra: Partial<IdentityExportRow> = {},
): IdentityExportRow {
  return {
    userRef: `user:default/u${n}`,
    name: `u${n}`,
    displayName: `User ${n}`,
    email: `u${n}@example.com`,
    source: 'file',
    flags: '',
    managedByLocation: 'file:/org/users.yaml',
    originLocation: 'file:/org/all.yaml',
    groupRef: 'group:default/team',
    membership: 'direct',
    path: `user:default/u${n} > group:default/team`,
    ...extra,
  };
}

async function* batchesOf(
  batches: IdentityExportRow[][],
  pulled: number[] = [],
): AsyncIterable<IdentityExportRow[]> {
  for (const [i, batch] of batches.entries()) {
    pulled.push(i);
    yield batch;
  }
}

/** A destination that takes `highWaterMark` bytes before it pushes back. */
function sink(highWaterMark: number) {
  const chunks: string[] = [];
  const stream = new Writable({
    highWaterMark,
    write(chunk, _encoding, callback) {
      chunks.push(chunk.toString());
      setTimeout(callback, 1);
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('writeExportCsv', () => {
  it('writes a header and a CRLF-terminated record per row', async () => {
    const out = sink(1024 * 1024);
    await writeExportCsv(
      batchesOf([
        [
          row(1, {
            displayName: 'Doe, "Jo"',
            email: '=HYPERLINK("http://evil")',
            flags: 'orphaned noGroups',
          }),
          row(2, { name: '+1', managedByLocation: '-x', path: '@y' }),
        ],
        [],
        [row(3, { groupRef: '', membership: '', path: '' })],
      ]),
      out.stream,
    );
    expect(out.text()).toBe(
      `${HEADER}` +
        'user:default/u1,u1,"Doe, ""Jo""","\'=HYPERLINK(""http://evil"")",file,orphaned noGroups,file:/org/users.yaml,file:/org/all.yaml,group:default/team,direct,user:default/u1 > group:default/team\r\n' +
        "user:default/u2,'+1,User 2,u2@example.com,file,,'-x,file:/org/all.yaml,group:default/team,direct,'@y\r\n" +
        'user:default/u3,u3,User 3,u3@example.com,file,,file:/org/users.yaml,file:/org/all.yaml,,,\r\n',
    );
    expect(out.stream.writableFinished).toBe(true);
  });

  it('writes only the header when nothing matches', async () => {
    const out = sink(1024);
    await writeExportCsv(batchesOf([]), out.stream);
    expect(out.text()).toBe(HEADER);
  });

  it('waits for the destination to drain before reading the next batch', async () => {
    const out = sink(16);
    const pulled: number[] = [];
    const writes: Array<{ read: number; full: boolean }> = [];
    const write = out.stream.write.bind(out.stream);
    out.stream.write = ((chunk: any, ...rest: any[]) => {
      // How many batches had been read, and whether the buffer was still
      // full, when each chunk was written.
      writes.push({
        read: pulled.length,
        full: out.stream.writableNeedDrain,
      });
      return write(chunk, ...rest);
    }) as typeof out.stream.write;
    const batches = [0, 1, 2, 3].map(b => [row(b * 2), row(b * 2 + 1)]);
    await writeExportCsv(batchesOf(batches, pulled), out.stream);
    // The header, then one chunk per batch, each read only once the chunk
    // before it had drained.
    expect(writes).toEqual(
      [0, 1, 2, 3, 4].map(read => ({ read, full: false })),
    );
    expect(out.text().split('\r\n')).toHaveLength(1 + 8 + 1);
  });

  it('stops reading when the destination closes', async () => {
    const out = sink(16);
    let finished = false;
    let pulled = 0;
    async function* endless(): AsyncIterable<IdentityExportRow[]> {
      try {
        for (;;) {
          pulled += 1;
          if (pulled === 3) {
            out.stream.destroy();
          }
          yield [row(pulled)];
        }
      } finally {
        finished = true;
      }
    }
    await writeExportCsv(endless(), out.stream);
    expect(pulled).toBe(3);
    expect(finished).toBe(true);
  });

  it('streams through the compression middleware of the backend', async () => {
    const app = express();
    // @types/compression is written against another @types/express.
    app.use(compression() as unknown as express.RequestHandler);
    const batches = Array.from({ length: 40 }, (_, b) =>
      Array.from({ length: 500 }, (__, i) => row(b * 500 + i)),
    );
    app.get('/export.csv', async (_req, res) => {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      await writeExportCsv(batchesOf(batches), res);
    });
    const res = await request(app)
      .get('/export.csv')
      .set('Accept-Encoding', 'gzip');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    const lines = res.text.split('\r\n');
    expect(lines).toHaveLength(1 + 20_000 + 1);
    expect(lines[20_000]).toMatch(/^user:default\/u19999,/);
  });
});
