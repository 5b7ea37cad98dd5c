-- DropIndex
DROP INDEX "chain_transactions_block_time_idx";

-- CreateIndex
CREATE INDEX "chain_transactions_block_time_slot_idx" ON "chain_transactions"("block_time", "slot");
