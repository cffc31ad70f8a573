-- A meal of a published menu taken off sale (停售) stays on the menu: every meal sold names one
-- (core/canteen/mealOffered.ts). Meals published before are on sale.
ALTER TABLE menu_meal ADD COLUMN offered boolean NOT NULL DEFAULT true;
