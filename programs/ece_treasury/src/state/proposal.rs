//! The `Proposal` account: a fixed header (votes, status, timing, compliance)
//! followed by the Borsh-encoded `ProposalAction`. A payout batch holds only
//! the entries loaded so far (its `entries` Vec length is `LOADED_ENTRIES`):
//! each `append_payout_entries` grows the account by the entries it adds.
use ece_shared::anchor::discriminator;
use pinocchio::account::MAX_PERMITTED_DATA_INCREASE;

pub const SEED: &[u8] = b"proposal";
/// Payout batches are seeded by mint and week instead, so a week pays once.
pub const PAYOUT_SEED: &[u8] = b"payout";
/// Entries of one weekly batch at most (counts and cursors are u16).
pub const MAX_PAYOUT_ENTRIES: usize = 2_000;
/// Entries one instruction may carry: an account grows by at most
/// `MAX_PERMITTED_DATA_INCREASE` bytes per instruction, and a PDA created by
/// CPI starts within that too.
pub const MAX_ENTRIES_PER_IX: usize = 200;

pub const DISCRIMINATOR: [u8; 8] = discriminator("account:Proposal");
pub const MULTISIG: usize = 8; // Pubkey
pub const INDEX: usize = 40; // u64
pub const CREATOR: usize = 48; // Pubkey, also receives the rent on close
pub const STATUS: usize = 80; // u8 (ProposalStatus)
pub const BUMP: usize = 81; // u8
pub const RISK_SCORE: usize = 82; // u8
pub const REQUIRED: usize = 83; // u8
pub const VOTERS: usize = 84; // u8
pub const APPROVALS: usize = 85; // u8
pub const REJECTIONS: usize = 86; // u8
pub const CANCELLATIONS: usize = 87; // u8
pub const APPROVED_MASK: usize = 88; // u16, bit = member slot
pub const REJECTED_MASK: usize = 90; // u16
pub const CANCELLED_MASK: usize = 92; // u16
pub const CREATED_AT: usize = 94; // i64
pub const APPROVED_AT: usize = 102; // i64
pub const EXECUTED_AT: usize = 110; // i64
pub const COMPLIANCE_HASH: usize = 118; // [u8; 32]
pub const EXECUTED_ENTRIES: usize = 150; // u16
pub const LOADED_ENTRIES: usize = 152; // u16
pub const LOADED_AMOUNT: usize = 154; // u64
pub const PAID_AMOUNT: usize = 162; // u64
pub const ACTION: usize = 170; // ProposalAction (enum tag, then fields)
pub const HEADER_LEN: usize = ACTION + 1;

/// `ProposalStatus`.
pub mod status {
    pub const DRAFT: u8 = 0;
    pub const ACTIVE: u8 = 1;
    pub const APPROVED: u8 = 2;
    pub const REJECTED: u8 = 3;
    pub const CANCELLED: u8 = 4;
    pub const EXECUTING: u8 = 5;
    pub const EXECUTED: u8 = 6;
}

/// `ProposalAction` variants.
pub mod kind {
    pub const TRANSFER: u8 = 0;
    pub const PAYOUT_BATCH: u8 = 1;
    pub const CONFIG: u8 = 2;
    pub const PAUSE: u8 = 3;
    pub const TOKEN: u8 = 4;
}

/// Field offsets inside the action (absolute).
pub mod transfer {
    pub const MINT: usize = super::ACTION + 1;
    pub const TO: usize = MINT + 32;
    pub const AMOUNT: usize = TO + 32;
}

pub mod payout {
    pub const MINT: usize = super::ACTION + 1;
    pub const WEEK: usize = MINT + 32; // u32
    pub const TOTAL: usize = WEEK + 4; // u64
    pub const ENTRY_COUNT: usize = TOTAL + 8; // u16
    pub const ENTRIES_LEN: usize = ENTRY_COUNT + 2; // u32 (Borsh Vec length)
    pub const ENTRIES: usize = ENTRIES_LEN + 4; // [PayoutEntry { recipient, amount }]
    pub const ENTRY_LEN: usize = 40;

    // A batch created with the most entries an instruction carries fits one
    // CPI allocation, and so does an append's growth.
    const _: () = assert!(
        ENTRIES + super::MAX_ENTRIES_PER_IX * ENTRY_LEN <= super::MAX_PERMITTED_DATA_INCREASE
    );
    const _: () = assert!(super::MAX_PAYOUT_ENTRIES <= u16::MAX as usize);
}
