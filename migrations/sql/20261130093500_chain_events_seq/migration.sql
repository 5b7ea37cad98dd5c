-- AlterTable
ALTER TABLE "chain_events" ADD COLUMN     "seq" BIGSERIAL NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "chain_events_seq_key" ON "chain_events"("seq");
