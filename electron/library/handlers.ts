/**
 * Maps every 'library.*' contract method to the service functions. The worker
 * serves these; unit tests call them in-process with a real Library, so what
 * is tested is what ships. Mutations announce themselves with 'library.changed'.
 */
import type { ServiceHandlers } from '../node/worker-runtime.js';
import type { Library } from './library.js';
import { importPaths, listImportRuns, resumeImport } from './import-service.js';
import { listCameras, listDuplicates, listFolders, listPhotos } from './search.js';
import * as organise from './organise.js';
import * as versions from './versions.js';
import { photoSource, resolveMedia } from './media.js';
import { exportItems, exportList } from './export-service.js';
import { checkFiles, relink } from './relink.js';
import { photoFaces, storeFaces } from './faces.js';
import * as people from './people.js';
import { faceCrop } from './face-crops.js';
import { backupsDir, createBackup, listBackups, restoreBackup, type BackupInfo } from './backup.js';
import { geometrySource, previewFile } from './geometry-source.js';

const OK = { ok: true } as const;

/** A backup as the contract shows it: by name, never by path. */
const publicBackup = ({ path: _path, ...b }: BackupInfo) => b;

export function libraryHandlers(lib: Library): ServiceHandlers<'library'> {
  return {
    'library.listPhotos': (p) => listPhotos(lib, p),
    'library.getPhoto': (p) => organise.getPhoto(lib, p.photoId),
    'library.import': (p, ctx) => importPaths(lib, p.paths, ctx),
    'library.importRuns': () => ({ runs: listImportRuns(lib) }),
    'library.resumeImport': (p, ctx) => resumeImport(lib, p.runId, ctx),
    'library.removePhotos': async (p, ctx) => {
      const removed = await organise.removePhotos(lib, p.photoIds);
      ctx.emit('library.changed', { entity: 'photos', ids: p.photoIds.slice(0, 10_000) });
      return { removed };
    },
    'library.listFolders': () => ({ folders: listFolders(lib) }),
    'library.listCameras': () => ({ cameras: listCameras(lib) }),
    'library.listDuplicates': (p) => listDuplicates(lib, p.offset, p.limit),
    'library.listAlbums': () => ({ albums: organise.listAlbums(lib) }),
    'library.createAlbum': (p, ctx) => {
      const albumId = organise.createAlbum(lib, p.name, p.photoIds);
      ctx.emit('library.changed', { entity: 'albums', ids: [albumId] });
      return { albumId };
    },
    'library.renameAlbum': (p, ctx) => {
      organise.renameAlbum(lib, p.albumId, p.name);
      ctx.emit('library.changed', { entity: 'albums', ids: [p.albumId] });
      return OK;
    },
    'library.deleteAlbum': (p, ctx) => {
      organise.deleteAlbum(lib, p.albumId);
      ctx.emit('library.changed', { entity: 'albums', ids: [p.albumId] });
      return OK;
    },
    'library.addToAlbum': (p, ctx) => {
      const added = organise.addToAlbum(lib, p.albumId, p.photoIds);
      ctx.emit('library.changed', { entity: 'albums', ids: [p.albumId] });
      return { added };
    },
    'library.removeFromAlbum': (p, ctx) => {
      const removed = organise.removeFromAlbum(lib, p.albumId, p.photoIds);
      ctx.emit('library.changed', { entity: 'albums', ids: [p.albumId] });
      return { removed };
    },
    'library.listTags': () => ({ tags: organise.listTags(lib) }),
    'library.tagPhotos': (p, ctx) => {
      organise.tagPhotos(lib, p.photoIds, p.add, p.remove);
      ctx.emit('library.changed', { entity: 'tags', ids: p.photoIds.slice(0, 10_000) });
      return OK;
    },
    'library.setRating': (p, ctx) => {
      organise.setRating(lib, p.photoIds, p.rating);
      ctx.emit('library.changed', { entity: 'photos', ids: p.photoIds.slice(0, 10_000) });
      return OK;
    },
    'library.setFavorite': (p, ctx) => {
      organise.setFavorite(lib, p.photoIds, p.favorite);
      ctx.emit('library.changed', { entity: 'photos', ids: p.photoIds.slice(0, 10_000) });
      return OK;
    },
    'library.setFaces': (p, ctx) => {
      organise.setFaces(lib, p.photoId, p.faces);
      ctx.emit('library.changed', { entity: 'photos', ids: [p.photoId] });
      return OK;
    },
    'library.storeFaces': (p, ctx) => {
      storeFaces(lib, p.photoId, p.faces);
      ctx.emit('library.changed', { entity: 'photos', ids: [p.photoId] });
      return OK;
    },
    'library.photoFaces': (p) => photoFaces(lib, p.photoId),
    'people.list': (p) => people.listPeople(lib, p),
    'people.get': (p) => people.personWithFaces(lib, p.personId, p.limit),
    'people.rename': (p, ctx) => {
      const person = people.renamePerson(lib, p.personId, p.name);
      ctx.emit('library.changed', { entity: 'people', ids: [p.personId] });
      return person;
    },
    'people.merge': (p, ctx) => {
      const person = people.mergePeople(lib, p.into, p.from);
      ctx.emit('library.changed', { entity: 'people', ids: [p.into, p.from] });
      return person;
    },
    'people.moveFace': (p, ctx) => {
      const moved = people.moveFace(lib, p.faceId, p.personId);
      ctx.emit('library.changed', { entity: 'people', ids: [moved.personId] });
      return moved;
    },
    'people.suggestions': (p) => ({ pairs: people.suggestMerges(lib, p.limit) }),
    'people.keepApart': (p, ctx) => {
      people.getPerson(lib, p.a);
      people.getPerson(lib, p.b);
      people.keepApart(lib, p.a, p.b);
      ctx.emit('library.changed', { entity: 'people', ids: [p.a, p.b] });
      return {};
    },
    'people.cluster': (_p, ctx) => {
      const r = people.clusterFaces(lib);
      if (r.assigned) ctx.emit('library.changed', { entity: 'people' });
      return r;
    },
    'people.pending': (p) => people.pendingPhotos(lib, p),
    'library.photoSource': (p) => photoSource(lib, p.photoId),
    'library.addVersion': async (p, ctx) => {
      const versionId = await versions.addVersion(lib, p);
      ctx.emit('library.changed', { entity: 'versions', ids: [p.photoId] });
      return { versionId };
    },
    'library.getVersion': (p) => versions.versionWithPhoto(lib, p.versionId),
    'library.geometrySource': (p) => geometrySource(lib, p, p.geometry, p.size),
    'library.previewFile': (p) => previewFile(lib, p.file),
    'library.renameVersion': (p, ctx) => {
      const photoId = versions.renameVersion(lib, p.versionId, p.label);
      ctx.emit('library.changed', { entity: 'versions', ids: [photoId] });
      return OK;
    },
    'library.deleteVersion': async (p, ctx) => {
      const photoId = await versions.deleteVersion(lib, p.versionId);
      ctx.emit('library.changed', { entity: 'versions', ids: [photoId] });
      return OK;
    },
    'library.setPreferredVersion': (p, ctx) => {
      versions.setPreferredVersion(lib, p.photoId, p.versionId);
      ctx.emit('library.changed', { entity: 'versions', ids: [p.photoId] });
      return OK;
    },
    'library.compareVersions': (p) => versions.compareVersions(lib, p.a, p.b),
    'library.export': (p, ctx) => exportItems(lib, { ...p, items: exportList(lib, p) }, ctx),
    'library.checkFiles': (_p, ctx) => checkFiles(lib, ctx),
    'library.relink': (p, ctx) => relink(lib, p.folder, ctx),
    'library.resolveMedia': (p) => (p.kind === 'face' ? faceCrop(lib, p.id) : resolveMedia(lib, p)),
    'library.backup': async () => publicBackup(await createBackup(lib, 'manual')),
    'library.listBackups': () => ({ folder: backupsDir(lib), backups: listBackups(lib).map(publicBackup) }),
    'library.restoreBackup': async (p, ctx) => {
      const { restored, previous } = await restoreBackup(lib, p.name);
      ctx.emit('library.changed', { entity: 'all' });
      return { restored: publicBackup(restored), previous: publicBackup(previous) };
    },
  };
}
