import { z } from 'zod';
import { Id } from '../entities.js';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind } from '../events/kind.js';

/**
 * A photo of goods (商品照片, optional): what the counter's shelf and the touchscreen show beside
 * the name, so a resident who reads little points at what they want. Kept apart from the goods'
 * row (which every redemption and count moves) in a table of its own, one row a goods, as a small
 * picture the kiosk made (`renderer/src/screens/goods/photo.ts` draws it 320 px at most, as JPEG):
 * it travels in its event and every counter holds it, offline included.
 */
export const MAX_PHOTO_CHARS = 60_000;

/** A picture as a data address: JPEG, PNG or WebP in base64, at most `MAX_PHOTO_CHARS` long (about 44 KB). */
export const PhotoData = z.string().max(MAX_PHOTO_CHARS).regex(/^data:image\/(jpeg|png|webp);base64,[A-Za-z0-9+/]+={0,2}$/);

/** The photo row of goods: its id is the goods'. `photo` null: taken away. */
export const GoodsPhoto = z.object({ id: Id, centreId: Id, photo: PhotoData.nullable(), changeSeq: z.number().int().nonnegative() });
export type GoodsPhoto = z.infer<typeof GoodsPhoto>;

export const GoodsPhotoSetV1 = z.object({
  kind: z.literal('goodsPhotoSet'),
  version: z.literal(1),
  payload: z.object({ goodsId: Id, photo: PhotoData.nullable() }),
});
type PhotoSet = z.infer<typeof GoodsPhotoSetV1>['payload'];

export const goodsPhotoSet = defineKind({
  versions: [GoodsPhotoSetV1],
  refs: ({ payload: p }) => [{ table: 'goods', id: p.goodsId, is: 'existing' }, { table: 'goodsPhotos', id: p.goodsId, is: 'any' }],
  roles: ['clerk'],
  profiles: ['counter'],
  selfService: false,
  apply: (view, { payload: p }) => ({
    effects: [view.row('goodsPhotos', p.goodsId)
      ? { type: 'record', table: 'goodsPhotos', id: p.goodsId, patch: { photo: p.photo } }
      : { type: 'record', table: 'goodsPhotos', create: { id: p.goodsId, photo: p.photo } }],
  }),
});

/**
 * Decides a photo for goods, or taking it away (`photo` null): a picture as the kiosk draws it, and
 * a change from what the goods show.
 */
export function decideGoodsPhoto(goodsId: string, current: string | null, photo: string | null): Decision<PhotoSet> {
  if (photo !== null && !PhotoData.safeParse(photo).success) return refuse('photoInvalid', {});
  if (photo === current) return refuse(photo === null ? 'photoNone' : 'photoUnchanged', {});
  return accept({ goodsId, photo });
}
