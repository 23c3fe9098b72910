/**
 * People in the library: the faces the engine found, with their identity
 * descriptors, grouped into people (library/people.ts). The find-people job
 * (a host job) has the engine look at photos not yet described and groups
 * what it found; the user names, merges and splits people, and searches by
 * name in library.listPhotos. Face crops are images by face id
 * (MediaRef kind 'face'), never by path.
 */
import { z } from 'zod';
import { method, job } from '../rpc.js';
import { FaceBox } from './engine.js';

const Id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const PhotoId = Id;
const PersonId = Id;
const FaceId = Id;
/** A person's name; null or empty clears it. */
const PersonName = z.string().trim().max(200).nullable().transform((n) => (n ? n : null));

export const PersonInfo = z.object({
  personId: PersonId,
  /** Null until the user names the person. */
  name: z.string().nullable(),
  faceCount: z.number().int(),
  /** The face shown for the person (load it as MediaRef { kind: 'face', id }). */
  coverFaceId: FaceId.nullable(),
  createdAt: z.string(),
});
export type PersonInfo = z.infer<typeof PersonInfo>;

/** A stored face as the photo view shows it: box, landmarks, and who it is. */
export const StoredFace = FaceBox.omit({ descriptor: true }).extend({
  faceId: FaceId,
  personId: PersonId.nullable(),
  personName: z.string().nullable(),
});
export type StoredFace = z.infer<typeof StoredFace>;

export const ClusterResult = z.object({
  /** Faces put with a person this run (an existing one, or one made for them). */
  assigned: z.number().int(),
  /** People made this run. */
  created: z.number().int(),
  /** People in the library now. */
  people: z.number().int(),
});

export const peopleMethods = {
  'people.list': method('library', {
    doc: 'A page of people, most faces first (named people only with `named`; names containing `query`), each with its face count and cover face; `total` counts all matches.',
    params: z.object({
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(100),
      query: z.string().trim().max(200).default(''),
      named: z.boolean().optional(),
    }).strict(),
    result: z.object({ total: z.number().int(), people: z.array(PersonInfo) }),
  }),
  'people.get': method('library', {
    doc: 'One person, with up to `limit` of its faces (best first) for the person view.',
    params: z.object({ personId: PersonId, limit: z.number().int().min(1).max(500).default(60) }).strict(),
    result: PersonInfo.extend({ faces: z.array(z.object({ faceId: FaceId, photoId: PhotoId, score: z.number(), pinned: z.boolean() })) }),
  }),
  'people.rename': method('library', {
    doc: 'Names (or renames) a person; null or empty clears the name. Clustering never changes names.',
    params: z.object({ personId: PersonId, name: PersonName }).strict(),
    result: PersonInfo,
  }),
  'people.merge': method('library', {
    doc: 'Moves every face of `from` into `into` and removes `from` (`into` keeps its name, or takes the other one when it has none).',
    params: z.object({ into: PersonId, from: PersonId }).strict().refine((p) => p.into !== p.from, 'A person cannot be merged into itself'),
    result: PersonInfo,
  }),
  'people.moveFace': method('library', {
    doc: 'Moves one face out of its person into another person, or into a new person when `personId` is omitted (splitting a group). The face is pinned: clustering never moves it again.',
    params: z.object({ faceId: FaceId, personId: PersonId.optional() }).strict(),
    result: z.object({ personId: PersonId }),
  }),
  'people.suggestions': method('library', {
    doc: 'Pairs of people who may be one person (their mean descriptors nearer than face-api\'s bar between two faces), nearest first, leaving out pairs kept apart. For "Same person?" in the People view.',
    params: z.object({ limit: z.number().int().min(1).max(100).default(12) }).strict(),
    result: z.object({ pairs: z.array(z.object({ a: PersonInfo, b: PersonInfo, distance: z.number() })) }),
  }),
  'people.keepApart': method('library', {
    doc: 'Records that two people are not the same person: a merge of them is not suggested again.',
    params: z.object({ a: PersonId, b: PersonId }).strict().refine((p) => p.a !== p.b, 'A person cannot be kept apart from itself'),
    result: z.object({}).strict(),
  }),
  'people.cluster': method('library', {
    doc: 'Groups the faces not yet with anyone: each joins the person whose mean descriptor is nearest if it is near enough, else starts a new person. Faces already with someone (and pinned ones) never move.',
    params: z.object({}).strict(),
    result: ClusterResult,
  }),
  'people.pending': method('library', {
    doc: 'Photos whose faces have not been found with descriptors yet (never analysed, or analysed before descriptors were kept), by id after `afterId`; originals known to be missing are left out.',
    exposure: 'internal',
    params: z.object({ photoIds: z.array(PhotoId).min(1).max(100_000).optional(), afterId: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    result: z.object({ remaining: z.number().int(), photoIds: z.array(PhotoId) }),
  }),
  'people.find': job('host', {
    doc: 'Finds the faces (with identity descriptors) of every photo not yet looked at, or of the photos given, stores them and groups them into people. Progress with ETA; cancel keeps what was done, and the next run skips it.',
    label: (p) => (p.photoIds ? `Find people in ${p.photoIds.length} photo(s)` : 'Find people in the library'),
    params: z.object({ photoIds: z.array(PhotoId).min(1).max(100_000).optional() }).strict(),
    result: z.object({
      /** Photos looked at by this run. */
      photos: z.number().int(),
      faces: z.number().int(),
      /** Photos that could not be read (their reasons in `errors`, the first 20). */
      failed: z.number().int(),
      errors: z.array(z.object({ photoId: PhotoId, message: z.string().max(500) })).max(20),
      clustered: ClusterResult,
    }),
  }),
} as const;
