-- CreateTable
CREATE TABLE "battle_snapshot_balances" (
    "battle_id" UUID NOT NULL,
    "wallet" TEXT NOT NULL,
    "balance" DECIMAL(20,0) NOT NULL,

    CONSTRAINT "battle_snapshot_balances_pkey" PRIMARY KEY ("battle_id","wallet")
);

-- AddForeignKey
ALTER TABLE "battle_snapshot_balances" ADD CONSTRAINT "battle_snapshot_balances_battle_id_fkey" FOREIGN KEY ("battle_id") REFERENCES "battles"("id") ON DELETE CASCADE ON UPDATE CASCADE;
