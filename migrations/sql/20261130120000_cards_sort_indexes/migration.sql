-- CreateIndex
CREATE INDEX "cards_name_id_idx" ON "cards"("name", "id");

-- CreateIndex
CREATE INDEX "cards_rarity_created_at_id_idx" ON "cards"("rarity", "created_at", "id");
