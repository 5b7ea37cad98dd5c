-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('user', 'signer', 'auditor', 'developer', 'admin');

-- CreateEnum
CREATE TYPE "KycStatus" AS ENUM ('none', 'pending', 'verified', 'rejected');

-- CreateEnum
CREATE TYPE "Rarity" AS ENUM ('common', 'rare', 'epic', 'legendary');

-- CreateEnum
CREATE TYPE "ListingStatus" AS ENUM ('active', 'sold', 'cancelled', 'expired');

-- CreateEnum
CREATE TYPE "BattleStatus" AS ENUM ('scheduled', 'live', 'closed', 'cancelled');

-- CreateEnum
CREATE TYPE "BattleSide" AS ENUM ('a', 'b');

-- CreateEnum
CREATE TYPE "Commitment" AS ENUM ('confirmed', 'finalized', 'dropped');

-- CreateEnum
CREATE TYPE "ProposalStatus" AS ENUM ('Draft', 'Active', 'Approved', 'Rejected', 'Cancelled', 'Executing', 'Executed');

-- CreateEnum
CREATE TYPE "VoteKind" AS ENUM ('approve', 'reject', 'cancel');

-- CreateEnum
CREATE TYPE "PayoutRunStatus" AS ENUM ('pending', 'scored', 'proposed', 'approved', 'executing', 'paid', 'failed', 'halted');

-- CreateEnum
CREATE TYPE "PayoutStatus" AS ENUM ('pending', 'blocked', 'review', 'proposed', 'paid', 'failed');

-- CreateEnum
CREATE TYPE "ComplianceSubject" AS ENUM ('transaction', 'payout', 'wallet', 'batch');

-- CreateEnum
CREATE TYPE "ComplianceDecision" AS ENUM ('approve', 'review', 'block', 'override');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('pending', 'delivered', 'failed');

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "wallet" TEXT NOT NULL,
    "display_name" TEXT,
    "email" TEXT,
    "roles" "Role"[] DEFAULT ARRAY['user']::"Role"[],
    "kyc_status" "KycStatus" NOT NULL DEFAULT 'none',
    "kyc_verified_at" TIMESTAMPTZ(3),
    "preferences" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "auth_nonces" (
    "nonce" TEXT NOT NULL,
    "wallet" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "issued_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),

    CONSTRAINT "auth_nonces_pkey" PRIMARY KEY ("nonce")
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "refresh_hash" TEXT NOT NULL,
    "user_agent" TEXT,
    "ip" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "companies" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "ticker" TEXT NOT NULL,
    "sector" TEXT NOT NULL,
    "payout_wallet" TEXT,
    "owner_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "companies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cards" (
    "id" UUID NOT NULL,
    "mint" TEXT NOT NULL,
    "company_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "sector" TEXT NOT NULL,
    "rarity" "Rarity" NOT NULL,
    "metrics" JSONB NOT NULL DEFAULT '{}',
    "image_url" TEXT,
    "owner" TEXT,
    "owner_slot" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cards_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "listings" (
    "id" UUID NOT NULL,
    "card_id" UUID NOT NULL,
    "seller" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "price" DECIMAL(20,0) NOT NULL,
    "status" "ListingStatus" NOT NULL DEFAULT 'active',
    "approve_signature" TEXT,
    "cancel_signature" TEXT,
    "expires_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "listings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sales" (
    "id" UUID NOT NULL,
    "listing_id" UUID NOT NULL,
    "card_id" UUID NOT NULL,
    "seller" TEXT NOT NULL,
    "buyer" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "price" DECIMAL(20,0) NOT NULL,
    "fee" DECIMAL(20,0) NOT NULL,
    "signature" TEXT NOT NULL,
    "slot" BIGINT,
    "sold_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sales_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "battles" (
    "id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "card_a_id" UUID NOT NULL,
    "card_b_id" UUID NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "snapshot_slot" BIGINT,
    "status" "BattleStatus" NOT NULL DEFAULT 'scheduled',
    "winner" "BattleSide",
    "tally_a" DECIMAL(30,0) NOT NULL DEFAULT 0,
    "tally_b" DECIMAL(30,0) NOT NULL DEFAULT 0,
    "reward_proposal" TEXT,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "battles_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "battle_participants" (
    "battle_id" UUID NOT NULL,
    "wallet" TEXT NOT NULL,
    "side" "BattleSide" NOT NULL,
    "card_id" UUID,
    "joined_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "battle_participants_pkey" PRIMARY KEY ("battle_id","wallet")
);

-- CreateTable
CREATE TABLE "battle_votes" (
    "battle_id" UUID NOT NULL,
    "wallet" TEXT NOT NULL,
    "side" "BattleSide" NOT NULL,
    "weight" DECIMAL(20,0) NOT NULL,
    "message" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "voted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "battle_votes_pkey" PRIMARY KEY ("battle_id","wallet")
);

-- CreateTable
CREATE TABLE "chain_transactions" (
    "signature" TEXT NOT NULL,
    "slot" BIGINT NOT NULL,
    "block_time" TIMESTAMPTZ(3),
    "success" BOOLEAN NOT NULL,
    "error" JSONB,
    "error_name" TEXT,
    "fee" BIGINT NOT NULL,
    "compute_units" BIGINT,
    "signer" TEXT NOT NULL,
    "signers" TEXT[],
    "programs" TEXT[],
    "program" TEXT,
    "instruction" TEXT,
    "accounts" TEXT[],
    "logs" TEXT[],
    "commitment" "Commitment" NOT NULL DEFAULT 'confirmed',
    "indexed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chain_transactions_pkey" PRIMARY KEY ("signature")
);

-- CreateTable
CREATE TABLE "chain_instructions" (
    "signature" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "inner_index" INTEGER NOT NULL,
    "slot" BIGINT NOT NULL,
    "block_time" TIMESTAMPTZ(3),
    "program" TEXT NOT NULL,
    "name" TEXT,
    "args" JSONB,
    "accounts" TEXT[],
    "amount" DECIMAL(20,0),
    "mint" TEXT,
    "stack_height" INTEGER,

    CONSTRAINT "chain_instructions_pkey" PRIMARY KEY ("signature","index","inner_index")
);

-- CreateTable
CREATE TABLE "chain_events" (
    "signature" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "slot" BIGINT NOT NULL,
    "block_time" TIMESTAMPTZ(3),
    "program" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "amount" DECIMAL(20,0),

    CONSTRAINT "chain_events_pkey" PRIMARY KEY ("signature","index")
);

-- CreateTable
CREATE TABLE "indexer_cursors" (
    "address" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "signature" TEXT,
    "slot" BIGINT NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "indexer_cursors_pkey" PRIMARY KEY ("address")
);

-- CreateTable
CREATE TABLE "treasury_multisigs" (
    "address" TEXT NOT NULL,
    "create_key" TEXT NOT NULL,
    "threshold" INTEGER NOT NULL,
    "time_lock_seconds" INTEGER NOT NULL,
    "transaction_index" BIGINT NOT NULL,
    "stale_transaction_index" BIGINT NOT NULL,
    "risk_policy" JSONB NOT NULL,
    "slot" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "treasury_multisigs_pkey" PRIMARY KEY ("address")
);

-- CreateTable
CREATE TABLE "treasury_members" (
    "multisig" TEXT NOT NULL,
    "member" TEXT NOT NULL,
    "permissions" INTEGER NOT NULL,

    CONSTRAINT "treasury_members_pkey" PRIMARY KEY ("multisig","member")
);

-- CreateTable
CREATE TABLE "treasury_proposals" (
    "address" TEXT NOT NULL,
    "multisig" TEXT NOT NULL,
    "index" BIGINT NOT NULL,
    "kind" TEXT NOT NULL,
    "creator" TEXT NOT NULL,
    "status" "ProposalStatus" NOT NULL,
    "risk_score" INTEGER NOT NULL,
    "required" INTEGER NOT NULL,
    "approvals" INTEGER NOT NULL DEFAULT 0,
    "rejections" INTEGER NOT NULL DEFAULT 0,
    "cancellations" INTEGER NOT NULL DEFAULT 0,
    "week" INTEGER,
    "mint" TEXT,
    "entry_count" INTEGER,
    "loaded_entries" INTEGER,
    "executed_entries" INTEGER NOT NULL DEFAULT 0,
    "paid_amount" DECIMAL(20,0) NOT NULL DEFAULT 0,
    "closed" BOOLEAN NOT NULL DEFAULT false,
    "created_signature" TEXT NOT NULL,
    "created_slot" BIGINT NOT NULL,
    "slot" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "treasury_proposals_pkey" PRIMARY KEY ("address")
);

-- CreateTable
CREATE TABLE "treasury_proposal_votes" (
    "proposal" TEXT NOT NULL,
    "member" TEXT NOT NULL,
    "vote" "VoteKind" NOT NULL,
    "signature" TEXT NOT NULL,
    "slot" BIGINT NOT NULL,

    CONSTRAINT "treasury_proposal_votes_pkey" PRIMARY KEY ("proposal","member","vote")
);

-- CreateTable
CREATE TABLE "treasury_vaults" (
    "address" TEXT NOT NULL,
    "multisig" TEXT NOT NULL,
    "mint" TEXT NOT NULL,
    "balance" DECIMAL(20,0) NOT NULL DEFAULT 0,
    "slot" BIGINT NOT NULL,

    CONSTRAINT "treasury_vaults_pkey" PRIMARY KEY ("address")
);

-- CreateTable
CREATE TABLE "token_configs" (
    "address" TEXT NOT NULL,
    "mint" TEXT NOT NULL,
    "admin" TEXT NOT NULL,
    "cap" DECIMAL(20,0) NOT NULL,
    "decimals" INTEGER NOT NULL,
    "minters" TEXT[],
    "total_minted" DECIMAL(20,0) NOT NULL DEFAULT 0,
    "total_burned" DECIMAL(20,0) NOT NULL DEFAULT 0,
    "supply" DECIMAL(20,0) NOT NULL DEFAULT 0,
    "slot" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "token_configs_pkey" PRIMARY KEY ("address")
);

-- CreateTable
CREATE TABLE "pause_states" (
    "address" TEXT NOT NULL,
    "authority" TEXT NOT NULL,
    "paused" BOOLEAN NOT NULL,
    "reason" INTEGER NOT NULL,
    "last_changed_by" TEXT NOT NULL,
    "last_changed_slot" BIGINT NOT NULL,
    "guardians" TEXT[],
    "slot" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pause_states_pkey" PRIMARY KEY ("address")
);

-- CreateTable
CREATE TABLE "payout_runs" (
    "id" UUID NOT NULL,
    "week" TEXT NOT NULL,
    "status" "PayoutRunStatus" NOT NULL DEFAULT 'pending',
    "revenue" JSONB NOT NULL DEFAULT '{}',
    "formula" JSONB NOT NULL DEFAULT '{}',
    "risk_score" INTEGER,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payout_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payouts" (
    "id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "week" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "recipient_token_account" TEXT,
    "mint" TEXT NOT NULL,
    "amount" DECIMAL(20,0) NOT NULL,
    "company_id" UUID,
    "proposal" TEXT,
    "entry_index" INTEGER,
    "status" "PayoutStatus" NOT NULL DEFAULT 'pending',
    "signature" TEXT,
    "paid_slot" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payouts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "compliance_checks" (
    "id" UUID NOT NULL,
    "subject_type" "ComplianceSubject" NOT NULL,
    "subject_id" TEXT NOT NULL,
    "score" INTEGER NOT NULL,
    "reasons" JSONB NOT NULL,
    "inputs" JSONB NOT NULL,
    "rule_set_version" TEXT NOT NULL,
    "decision" "ComplianceDecision" NOT NULL,
    "record_hash" TEXT NOT NULL,
    "reviewer" TEXT,
    "review_reason" TEXT,
    "reviewed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "compliance_checks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "resource" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "request_id" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_subscriptions" (
    "id" UUID NOT NULL,
    "owner" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "event_types" TEXT[],
    "secret" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_subscriptions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "id" UUID NOT NULL,
    "subscription_id" UUID NOT NULL,
    "event_type" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "response_status" INTEGER,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notifications" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',
    "read_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_wallet_key" ON "users"("wallet");

-- CreateIndex
CREATE INDEX "auth_nonces_wallet_issued_at_idx" ON "auth_nonces"("wallet", "issued_at");

-- CreateIndex
CREATE UNIQUE INDEX "sessions_refresh_hash_key" ON "sessions"("refresh_hash");

-- CreateIndex
CREATE INDEX "sessions_user_id_idx" ON "sessions"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "companies_name_key" ON "companies"("name");

-- CreateIndex
CREATE UNIQUE INDEX "companies_ticker_key" ON "companies"("ticker");

-- CreateIndex
CREATE INDEX "companies_sector_idx" ON "companies"("sector");

-- CreateIndex
CREATE UNIQUE INDEX "cards_mint_key" ON "cards"("mint");

-- CreateIndex
CREATE INDEX "cards_sector_rarity_idx" ON "cards"("sector", "rarity");

-- CreateIndex
CREATE INDEX "cards_owner_idx" ON "cards"("owner");

-- CreateIndex
CREATE INDEX "cards_company_id_idx" ON "cards"("company_id");

-- CreateIndex
CREATE INDEX "cards_created_at_id_idx" ON "cards"("created_at", "id");

-- CreateIndex
CREATE INDEX "listings_status_created_at_idx" ON "listings"("status", "created_at");

-- CreateIndex
CREATE INDEX "listings_seller_status_idx" ON "listings"("seller", "status");

-- CreateIndex
CREATE INDEX "listings_card_id_status_idx" ON "listings"("card_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "sales_listing_id_key" ON "sales"("listing_id");

-- CreateIndex
CREATE UNIQUE INDEX "sales_signature_key" ON "sales"("signature");

-- CreateIndex
CREATE INDEX "sales_sold_at_idx" ON "sales"("sold_at");

-- CreateIndex
CREATE INDEX "sales_buyer_idx" ON "sales"("buyer");

-- CreateIndex
CREATE INDEX "sales_seller_idx" ON "sales"("seller");

-- CreateIndex
CREATE INDEX "sales_card_id_sold_at_idx" ON "sales"("card_id", "sold_at");

-- CreateIndex
CREATE INDEX "battles_status_ends_at_idx" ON "battles"("status", "ends_at");

-- CreateIndex
CREATE INDEX "battle_votes_battle_id_side_idx" ON "battle_votes"("battle_id", "side");

-- CreateIndex
CREATE INDEX "chain_transactions_slot_idx" ON "chain_transactions"("slot");

-- CreateIndex
CREATE INDEX "chain_transactions_block_time_idx" ON "chain_transactions"("block_time");

-- CreateIndex
CREATE INDEX "chain_transactions_signer_slot_idx" ON "chain_transactions"("signer", "slot");

-- CreateIndex
CREATE INDEX "chain_transactions_program_instruction_slot_idx" ON "chain_transactions"("program", "instruction", "slot");

-- CreateIndex
CREATE INDEX "chain_transactions_commitment_slot_idx" ON "chain_transactions"("commitment", "slot");

-- CreateIndex
CREATE INDEX "chain_transactions_accounts_idx" ON "chain_transactions" USING GIN ("accounts");

-- CreateIndex
CREATE INDEX "chain_instructions_program_name_slot_idx" ON "chain_instructions"("program", "name", "slot");

-- CreateIndex
CREATE INDEX "chain_instructions_amount_idx" ON "chain_instructions"("amount");

-- CreateIndex
CREATE INDEX "chain_instructions_block_time_idx" ON "chain_instructions"("block_time");

-- CreateIndex
CREATE INDEX "chain_events_program_name_slot_idx" ON "chain_events"("program", "name", "slot");

-- CreateIndex
CREATE INDEX "chain_events_name_slot_idx" ON "chain_events"("name", "slot");

-- CreateIndex
CREATE INDEX "chain_events_block_time_idx" ON "chain_events"("block_time");

-- CreateIndex
CREATE INDEX "treasury_members_member_idx" ON "treasury_members"("member");

-- CreateIndex
CREATE INDEX "treasury_proposals_status_idx" ON "treasury_proposals"("status");

-- CreateIndex
CREATE INDEX "treasury_proposals_week_mint_idx" ON "treasury_proposals"("week", "mint");

-- CreateIndex
CREATE UNIQUE INDEX "treasury_proposals_multisig_index_key" ON "treasury_proposals"("multisig", "index");

-- CreateIndex
CREATE UNIQUE INDEX "treasury_vaults_multisig_mint_key" ON "treasury_vaults"("multisig", "mint");

-- CreateIndex
CREATE UNIQUE INDEX "token_configs_mint_key" ON "token_configs"("mint");

-- CreateIndex
CREATE UNIQUE INDEX "payout_runs_week_key" ON "payout_runs"("week");

-- CreateIndex
CREATE INDEX "payouts_recipient_idx" ON "payouts"("recipient");

-- CreateIndex
CREATE INDEX "payouts_status_idx" ON "payouts"("status");

-- CreateIndex
CREATE INDEX "payouts_proposal_entry_index_idx" ON "payouts"("proposal", "entry_index");

-- CreateIndex
CREATE UNIQUE INDEX "payouts_week_mint_recipient_key" ON "payouts"("week", "mint", "recipient");

-- CreateIndex
CREATE INDEX "compliance_checks_subject_type_subject_id_created_at_idx" ON "compliance_checks"("subject_type", "subject_id", "created_at");

-- CreateIndex
CREATE INDEX "compliance_checks_decision_created_at_idx" ON "compliance_checks"("decision", "created_at");

-- CreateIndex
CREATE INDEX "audit_log_actor_at_idx" ON "audit_log"("actor", "at");

-- CreateIndex
CREATE INDEX "audit_log_resource_at_idx" ON "audit_log"("resource", "at");

-- CreateIndex
CREATE INDEX "audit_log_action_at_idx" ON "audit_log"("action", "at");

-- CreateIndex
CREATE INDEX "webhook_subscriptions_owner_idx" ON "webhook_subscriptions"("owner");

-- CreateIndex
CREATE INDEX "webhook_deliveries_status_created_at_idx" ON "webhook_deliveries"("status", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_deliveries_subscription_id_event_id_key" ON "webhook_deliveries"("subscription_id", "event_id");

-- CreateIndex
CREATE INDEX "notifications_user_id_created_at_idx" ON "notifications"("user_id", "created_at");

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "companies" ADD CONSTRAINT "companies_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cards" ADD CONSTRAINT "cards_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "listings" ADD CONSTRAINT "listings_card_id_fkey" FOREIGN KEY ("card_id") REFERENCES "cards"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sales" ADD CONSTRAINT "sales_listing_id_fkey" FOREIGN KEY ("listing_id") REFERENCES "listings"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sales" ADD CONSTRAINT "sales_card_id_fkey" FOREIGN KEY ("card_id") REFERENCES "cards"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "battles" ADD CONSTRAINT "battles_card_a_id_fkey" FOREIGN KEY ("card_a_id") REFERENCES "cards"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "battles" ADD CONSTRAINT "battles_card_b_id_fkey" FOREIGN KEY ("card_b_id") REFERENCES "cards"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "battle_participants" ADD CONSTRAINT "battle_participants_battle_id_fkey" FOREIGN KEY ("battle_id") REFERENCES "battles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "battle_participants" ADD CONSTRAINT "battle_participants_card_id_fkey" FOREIGN KEY ("card_id") REFERENCES "cards"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "battle_votes" ADD CONSTRAINT "battle_votes_battle_id_fkey" FOREIGN KEY ("battle_id") REFERENCES "battles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chain_instructions" ADD CONSTRAINT "chain_instructions_signature_fkey" FOREIGN KEY ("signature") REFERENCES "chain_transactions"("signature") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chain_events" ADD CONSTRAINT "chain_events_signature_fkey" FOREIGN KEY ("signature") REFERENCES "chain_transactions"("signature") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "treasury_members" ADD CONSTRAINT "treasury_members_multisig_fkey" FOREIGN KEY ("multisig") REFERENCES "treasury_multisigs"("address") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "treasury_proposals" ADD CONSTRAINT "treasury_proposals_multisig_fkey" FOREIGN KEY ("multisig") REFERENCES "treasury_multisigs"("address") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "treasury_proposal_votes" ADD CONSTRAINT "treasury_proposal_votes_proposal_fkey" FOREIGN KEY ("proposal") REFERENCES "treasury_proposals"("address") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "treasury_vaults" ADD CONSTRAINT "treasury_vaults_multisig_fkey" FOREIGN KEY ("multisig") REFERENCES "treasury_multisigs"("address") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "payout_runs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_proposal_fkey" FOREIGN KEY ("proposal") REFERENCES "treasury_proposals"("address") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_subscription_id_fkey" FOREIGN KEY ("subscription_id") REFERENCES "webhook_subscriptions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
