-- Photos of goods (optional), one row a goods, apart from the goods' rows that every redemption and
-- count moves (core/goods/goodsPhoto.ts). `photo` null: taken away.
CREATE TABLE goods_photo (
  id          text NOT NULL,
  centre_id   text NOT NULL,
  photo       text,
  change_seq  bigint NOT NULL,
  PRIMARY KEY (centre_id, id)
);
CREATE INDEX goods_photo_changes ON goods_photo (centre_id, change_seq);
