-- A barcode corrected (goodsChanged) and other goods given the old code in the same push: the batch
-- writes created rows before patched ones, so for a moment the code is on two goods, and the push
-- failed on every try. The check is made at the commit instead: two goods still never keep one code.
ALTER TABLE goods DROP CONSTRAINT goods_centre_id_barcode_key;
ALTER TABLE goods ADD CONSTRAINT goods_centre_id_barcode_key UNIQUE (centre_id, barcode) DEFERRABLE INITIALLY DEFERRED;
