/**
 * Settings → Catalog backups in the real renderer against browser mode: a
 * library seeded through the real services, a backup made with the button,
 * photos removed, and the backup restored after the confirmation brings them
 * back (the catalog as it was is listed as a backup of its own).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { seedDataDir, cloneDataDir, tempDir } from '../../devkit/services.js';
import { appPerTest } from '../../devkit/browser.js';
import { writeTestPhoto } from '../../devkit/images.js';

const app = appPerTest();

test('a backup made in Settings restores the library after photos were removed', async (t) => {
  const photos = tempDir('restora-e2e-backup-');
  t.after(() => fs.rmSync(photos, { recursive: true, force: true }));
  for (const n of ['a.png', 'b.png']) await writeTestPhoto(path.join(photos, n), 120, 90, n.charCodeAt(0));
  const seeded = await seedDataDir(async (b) => void (await b.runJob('library.import', { paths: [photos] })));
  const { page, errors, host } = await app.open(t, cloneDataDir(seeded));
  await page.getByRole('tab', { name: 'Settings' }).click();
  const card = page.getByTestId('catalog-backups');
  await card.getByText('No backups yet.').or(card.getByText(/automatic/)).first().waitFor();
  await page.getByTestId('backup-now').click();
  const note = await page.getByTestId('backup-note').textContent({ timeout: 15_000 });
  assert.match(note!, /^Backed up as catalog-\d{8}-\d{6}-manual\.sqlite\.$/);
  await card.getByText(/made by hand/).first().waitFor();

  // Remove the photos behind the page's back, through the host's own contract.
  const ws = await import('ws');
  const sock = new ws.default(`ws://${new URL(host.origin).host}/ws?token=${host.token}`, { origin: host.origin });
  await new Promise((r) => sock.once('open', r));
  const call = (id: number, method: string, params: unknown) =>
    new Promise<{ ok: boolean; result: { items?: Array<{ id: number }> } }>((resolve) => {
      const on = (d: Buffer) => {
        const m = JSON.parse(d.toString());
        if (m.t === 'res' && m.id === id) {
          sock.off('message', on);
          resolve(m);
        }
      };
      sock.on('message', on);
      sock.send(JSON.stringify({ t: 'req', id, method, params }));
    });
  const ids = (await call(1, 'library.listPhotos', {})).result.items!.map((p) => p.id);
  assert.equal(ids.length, 2);
  assert.ok((await call(2, 'library.removePhotos', { photoIds: ids })).ok);

  await card.getByRole('button', { name: 'Restore…' }).first().click();
  await page.getByRole('alertdialog', { name: 'Restore this backup?' }).getByRole('button', { name: 'Restore backup' }).click();
  await page.getByTestId('backup-note').filter({ hasText: /^Restored catalog-.*; the catalog as it was is kept as catalog-.*-before-restore\.sqlite\.$/ }).waitFor({ timeout: 15_000 });
  await card.getByText(/before a restore/).waitFor();
  assert.equal((await call(3, 'library.listPhotos', {})).result.items!.length, 2);
  sock.close();
  assert.deepEqual(errors, []);
});
