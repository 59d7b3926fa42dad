-- Print kit and branded QR codes (issue 22).
-- label: a line printed small under the poster's card, only when set. `name` stays internal
-- (never printed, never shown to people scanning).
ALTER TABLE posters ADD COLUMN label TEXT;
-- style: the poster's QR style as JSON (colours, module and finder shapes, logo id; see
-- src/core/qr-style.ts); NULL = black on white squares. Its QR images and print files use it.
ALTER TABLE posters ADD COLUMN style TEXT;
-- batch_index: the poster's position in the request that created it, so posters created in one
-- batch (one created_at) print in the order they were sent, not in the order of their random ids.
ALTER TABLE posters ADD COLUMN batch_index INTEGER NOT NULL DEFAULT 0;
-- Existing posters: their order of insertion within each millisecond (rowid grows with inserts).
UPDATE posters SET batch_index = (
  SELECT COUNT(*) FROM posters q WHERE q.created_at = posters.created_at AND q.rowid < posters.rowid
);
