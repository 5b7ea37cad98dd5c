-- CreateEnum
CREATE TYPE "CardStatus" AS ENUM ('minting', 'minted', 'failed');

-- AlterTable
ALTER TABLE "cards" ADD COLUMN     "mint_signature" TEXT,
ADD COLUMN     "mint_valid_until" BIGINT,
ADD COLUMN     "status" "CardStatus" NOT NULL DEFAULT 'minted';
