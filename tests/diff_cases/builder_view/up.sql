-- generated from schema.yaml — do not edit
-- 0001_after: forward
CREATE VIEW `published_titles`(`id`, `title`) AS SELECT `books`.`id`, `books`.`title` FROM `books` WHERE `books`.`published` = 1;
